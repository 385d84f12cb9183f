using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using WebVirt.TestSupport;

namespace WebVirt.E2E.Tests.Ui;

/// <summary>
/// The Hardware tab's disks in the real Chromium against the panel and an agent as real processes (real qemu-img on
/// real files): a stopped VM gets a new disk, which is grown, moved to a second pool, compressed and detached, each
/// through the UI, checked in the table, through the API and on the host's file system.
/// </summary>
[Collection(RealProcessesCollection.Name)]
public sealed class VmDisksTests : ClusterBrowserTest
{
    private static readonly TimeSpan LongAction = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task StoppedVm_AddGrowMoveCompressDetach_ThroughTheUi()
    {
        var vmId = await UiTestVms.CreateAsync(Cluster, HostId, "disks-vm");
        var fastPool = Path.Combine(Path.GetDirectoryName(Cluster.ImagePool)!, "fast");
        Directory.CreateDirectory(fastPool);
        using (var added = await Cluster.Api.PostAsJsonAsync($"/api/v1/hosts/{HostId}/pools", new { name = "fast", path = fastPool, contentTypes = "Images" }))
        {
            Assert.True(added.IsSuccessStatusCode, $"add pool: {(int)added.StatusCode} {await added.Content.ReadAsStringAsync()}");
        }

        var page = await UiTestVms.SignedInPageAsync(Browser, Cluster, 1366, 768);
        await page.GotoAsync($"{Cluster.PanelUrl}/vms/{vmId}");
        await Assertions.Expect(page.GetByTestId("vm-state").First).ToHaveTextAsync("Stopped", new() { Timeout = 30_000 });
        await page.GetByRole(AriaRole.Tab, new() { Name = "Hardware" }).ClickAsync();
        var disks = page.GetByTestId("vm-disks");
        await Assertions.Expect(disks).ToContainTextAsync("No disk.");

        // Add: a new 1 GiB qcow2 in the default pool, named after the VM's UUID and the first free id.
        await page.GetByTestId("disk-add").ClickAsync();
        var dialog = page.GetByTestId("add-disk-dialog");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await page.GetByTestId("add-disk-size").FillAsync("1");
        await page.GetByTestId("add-disk-size").PressAsync("Tab");
        await UiTestVms.ScreenshotAsync(page, "vm-disks-add-dialog");
        await page.GetByTestId("add-disk-confirm").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "Disk disk0 added" })).ToBeVisibleAsync(new() { Timeout = (float)LongAction.TotalMilliseconds });
        var row = page.GetByTestId("disks-table").Locator("tr", new() { Has = page.GetByTestId("disk-id") });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.GetByTestId("disk-id")).ToHaveTextAsync("disk0");
        await Assertions.Expect(row.GetByTestId("disk-pool")).ToHaveTextAsync("default");
        await Assertions.Expect(row.GetByTestId("disk-file")).ToHaveTextAsync($"{vmId:D}-disk0.qcow2");
        await Assertions.Expect(row.GetByTestId("disk-size")).ToHaveTextAsync("1 GiB");
        var image = Path.Combine(Cluster.ImagePool, $"{vmId:D}-disk0.qcow2");
        Assert.True(File.Exists(image), $"{image} was not created");
        Assert.Equal(1L << 30, (await DiskAsync(vmId)).GetProperty("virtualBytes").GetInt64());

        // Grow to 2 GiB (the dialog proposes twice the size).
        await row.GetByTestId("disk-resize").ClickAsync();
        await Assertions.Expect(page.GetByTestId("resize-disk-dialog")).ToBeVisibleAsync();
        await page.GetByTestId("resize-disk-size").FillAsync("2");
        await page.GetByTestId("resize-disk-size").PressAsync("Tab");
        await page.GetByTestId("resize-disk-confirm").ClickAsync();
        await Assertions.Expect(row.GetByTestId("disk-size")).ToHaveTextAsync("2 GiB", new() { Timeout = (float)LongAction.TotalMilliseconds });
        Assert.Equal(2L << 30, (await DiskAsync(vmId)).GetProperty("virtualBytes").GetInt64());

        // Move to the second pool: the old image goes, a new one lies in the pool's folder.
        await row.GetByTestId("disk-move").ClickAsync();
        await Assertions.Expect(page.GetByTestId("move-disk-dialog")).ToContainTextAsync("fast");
        await page.GetByTestId("move-disk-confirm").ClickAsync();
        await Assertions.Expect(row.GetByTestId("disk-pool")).ToHaveTextAsync("fast", new() { Timeout = (float)LongAction.TotalMilliseconds });
        var moved = (await DiskAsync(vmId)).GetProperty("disk").GetProperty("path").GetString()!;
        Assert.Equal(fastPool, Path.GetDirectoryName(moved));
        Assert.True(File.Exists(moved), $"{moved} is missing after the move");
        Assert.False(File.Exists(image), $"{image} is still there after the move");
        await Assertions.Expect(row.GetByTestId("disk-file")).ToHaveTextAsync(Path.GetFileName(moved));

        // Compress (the VM is stopped, so it is offered).
        await row.GetByTestId("disk-compress").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Compress" }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "compressed" })).ToBeVisibleAsync(new() { Timeout = (float)LongAction.TotalMilliseconds });
        var compressed = await DiskAsync(vmId);
        Assert.Equal((moved, 2L << 30), (compressed.GetProperty("disk").GetProperty("path").GetString(), compressed.GetProperty("virtualBytes").GetInt64()));
        await page.GetByRole(AriaRole.Tab, new() { Name = "Tasks" }).ClickAsync();
        var compressTask = page.Locator("tr", new() { HasText = "vm.disk.compress" }).First;
        await Assertions.Expect(compressTask.GetByTestId("task-status")).ToHaveTextAsync("Succeeded");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Hardware" }).ClickAsync();

        // Screenshots of the finished table in both themes at 1366 px.
        await page.SetViewportSizeAsync(1366, 1100);
        await UiTestVms.ScreenshotAsync(page, "vm-disks-light");
        await page.GetByTestId("theme-toggle").ClickAsync();
        await page.WaitForFunctionAsync(UiTestVms.DarkBackground);
        await UiTestVms.ScreenshotAsync(page, "vm-disks-dark");
        await page.GetByTestId("theme-toggle").ClickAsync();
        await page.WaitForFunctionAsync($"!({UiTestVms.DarkBackground})");

        // Detach: the row goes, the image stays in the pool.
        await row.GetByTestId("disk-detach").ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(confirm).ToContainTextAsync(Path.GetFileName(moved));
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Detach" }).ClickAsync();
        await Assertions.Expect(disks).ToContainTextAsync("No disk.", new() { Timeout = (float)LongAction.TotalMilliseconds });
        Assert.True(File.Exists(moved), $"{moved} was deleted by a detach");
        var vm = await Cluster.GetVmAsync(vmId);
        Assert.Equal(0, vm.GetProperty("definition").GetProperty("disks").GetArrayLength());
    }

    private async Task<JsonElement> DiskAsync(Guid vmId)
    {
        using var response = await Cluster.Api.GetAsync($"/api/v1/vms/{vmId}/disks");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"disks: {(int)response.StatusCode} {body}");
        return Assert.Single(JsonDocument.Parse(body).RootElement.EnumerateArray().ToList());
    }
}
