using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using WebVirt.TestSupport;

namespace WebVirt.E2E.Tests.Ui;

/// <summary>
/// The VM page's Options and Hardware tabs in the real Chromium against the panel and an agent as real
/// processes, with the test guest booting under QEMU: Markdown and tags, and a hardware change on a running
/// VM that waits as pending and reaches QEMU after a stop and a start.
/// </summary>
[Collection(RealProcessesCollection.Name)]
public sealed class VmOptionsHardwareTests : ClusterBrowserTest
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Options_TagsAndMarkdown_ThenPendingHardwareChange_AppliesAfterStopAndStart()
    {
        var vmId = await UiTestVms.CreateAsync(Cluster, HostId, "opts-vm");
        using (var start = await Cluster.Api.PostAsync($"/api/v1/vms/{vmId}/start", null))
        {
            Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        }

        var page = await UiTestVms.SignedInPageAsync(Browser, Cluster, 1366, 768);
        await page.GotoAsync($"{Cluster.PanelUrl}/vms/{vmId}");
        var state = page.GetByTestId("vm-state").First;
        await Assertions.Expect(state).ToHaveTextAsync("Running", new() { Timeout = (float)Boot.TotalMilliseconds });

        // Options: tags as chips, a Markdown description with raw HTML that must stay text.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Options" }).ClickAsync();
        var tagInput = page.GetByTestId("options-tag-input");
        await tagInput.FillAsync("Web");
        await tagInput.PressAsync("Enter");
        await tagInput.FillAsync("bad tag!");
        await tagInput.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("vm-options")).ToContainTextAsync("is not a valid tag");
        await tagInput.FillAsync("prod");
        await tagInput.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("options-tag")).ToHaveTextAsync(["web", "prod"]);
        await page.GetByTestId("options-description").FillAsync("## Role\nThe **front** web server. <script>window.pwned = 1</script>\n\n- nginx\n- [docs](https://example.com/)");
        var preview = page.GetByTestId("options-description-preview");
        await Assertions.Expect(preview.Locator("strong")).ToHaveTextAsync("front");
        await Assertions.Expect(preview.Locator("script")).ToHaveCountAsync(0);
        await Assertions.Expect(preview).ToContainTextAsync("<script>window.pwned = 1</script>");
        await page.GetByTestId("options-save").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Options of VM 'opts-vm' saved");
        await UiTestVms.ScreenshotAsync(page, "vm-options-1366");

        var vm = await Cluster.GetVmAsync(vmId);
        Assert.Equal(["web", "prod"], vm.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.StartsWith("## Role", vm.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.True(await page.EvaluateAsync<bool>("() => window.pwned === undefined"), "the description's script ran");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Summary" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("vm-description").Locator("h2")).ToHaveTextAsync("Role");
        await Assertions.Expect(page.GetByTestId("vm-description").Locator("a")).ToHaveAttributeAsync("href", "https://example.com/");
        await Assertions.Expect(page.GetByTestId("vm-tags")).ToContainTextAsync("prod");

        // Hardware on the running VM: kept as pending, shown as such.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Hardware" }).ClickAsync();
        var memory = page.GetByTestId("hw-memory");
        await memory.FillAsync("384");
        await memory.PressAsync("Tab");
        await Assertions.Expect(page.GetByTestId("hardware-save")).ToHaveTextAsync("Save as pending");
        await page.GetByTestId("hardware-save").ClickAsync();
        var pending = page.GetByTestId("hardware-pending");
        await Assertions.Expect(pending).ToContainTextAsync("Pending: applies at next start");
        await Assertions.Expect(pending).ToContainTextAsync("Memory: 256 MiB → 384 MiB");
        await page.SetViewportSizeAsync(1440, 1150);
        await UiTestVms.ScreenshotAsync(page, "vm-hardware-pending");
        await page.SetViewportSizeAsync(1366, 768);
        vm = await Cluster.GetVmAsync(vmId);
        Assert.Equal(256, vm.GetProperty("definition").GetProperty("memoryMiB").GetInt32());
        Assert.Equal(384, vm.GetProperty("pendingDefinition").GetProperty("memoryMiB").GetInt32());
        Assert.Contains("size=256M", await CommandLineAsync(vm), StringComparison.Ordinal);

        // Stop (hard power-off), then start: the host gets the new definition and QEMU the new memory size.
        await page.GetByTestId("vm-stop").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Stop (hard power-off)" }).ClickAsync();
        await Assertions.Expect(state).ToHaveTextAsync("Stopped", new() { Timeout = (float)Boot.TotalMilliseconds });
        await Assertions.Expect(pending).ToHaveCountAsync(0);
        await page.GetByTestId("vm-start").ClickAsync();
        await Assertions.Expect(state).ToHaveTextAsync("Running", new() { Timeout = (float)Boot.TotalMilliseconds });
        vm = await Cluster.GetVmAsync(vmId);
        Assert.Equal(384, vm.GetProperty("definition").GetProperty("memoryMiB").GetInt32());
        Assert.Equal(JsonValueKind.Null, vm.GetProperty("pendingDefinition").ValueKind);
        Assert.Contains("size=384M", await CommandLineAsync(vm), StringComparison.Ordinal);

        await page.GetByTestId("theme-toggle").ClickAsync();
        await page.WaitForFunctionAsync(UiTestVms.DarkBackground);
        await page.SetViewportSizeAsync(1440, 1150);
        foreach (var tab in new[] { "Hardware", "Options", "Summary", "Tasks" })
        {
            await page.GetByRole(AriaRole.Tab, new() { Name = tab }).ClickAsync();
            await UiTestVms.ScreenshotAsync(page, $"vm-{tab.ToLowerInvariant()}-dark");
        }

        await page.GetByTestId("theme-toggle").ClickAsync();
        await page.WaitForFunctionAsync($"!({UiTestVms.DarkBackground})");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Summary" }).ClickAsync();
        await UiTestVms.ScreenshotAsync(page, "vm-summary-light");
    }

    /// <summary>The running QEMU's command line, read from /proc by the pid the panel reports.</summary>
    private static async Task<string> CommandLineAsync(JsonElement vm)
    {
        var pid = vm.GetProperty("pid").GetInt32();
        return (await File.ReadAllTextAsync($"/proc/{pid}/cmdline")).Replace('\0', ' ');
    }
}
