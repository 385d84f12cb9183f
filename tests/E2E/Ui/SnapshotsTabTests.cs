using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using WebVirt.TestSupport;

namespace WebVirt.E2E.Tests.Ui;

/// <summary>The Snapshots tab and the snapshot API in the real Chromium against the panel and an agent as real processes.</summary>
[Collection(RealProcessesCollection.Name)]
public sealed class SnapshotsTabTests : ClusterBrowserTest
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task TakeSnapshotFromTheUi_ShowsItInTheTree_ApiListsRevertsAndRefusesBadNames()
    {
        var slow = new LocatorAssertionsToBeVisibleOptions { Timeout = (float)Boot.TotalMilliseconds };
        var vmId = await CreateVmAsync("snappy");
        using (var start = await Cluster.Api.PostAsync($"/api/v1/vms/{vmId}/start", null))
        {
            Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        }

        await Cluster.WaitForVmStateAsync(vmId, "Running");

        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(Cluster.PanelUrl + $"/vms/{vmId}");
        await page.GetByLabel("User name").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync(TestCluster.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("vm-name")).ToHaveTextAsync("snappy");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Snapshots" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("snapshot-empty")).ToBeVisibleAsync();
        await page.GetByTestId("snapshot-take").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        var name = dialog.GetByLabel("Name");
        await name.FillAsync("bad name");
        await Assertions.Expect(dialog.GetByTestId("snapshot-confirm")).ToBeDisabledAsync();
        await name.FillAsync("first");
        await dialog.GetByLabel("Description (optional)").FillAsync("before the upgrade");
        await Assertions.Expect(dialog.GetByLabel("Include RAM (the guest resumes exactly where it was)")).ToBeCheckedAsync();
        await dialog.GetByTestId("snapshot-confirm").ClickAsync();

        var first = page.Locator("[data-testid=snapshot-row][data-name=first]");
        await Assertions.Expect(first).ToBeVisibleAsync(slow);
        await Assertions.Expect(first.GetByTestId("snapshot-current")).ToBeVisibleAsync();
        await Assertions.Expect(first).ToContainTextAsync("before the upgrade");

        // A second one, through the API, appears as a child in the open page.
        using (var second = await Cluster.Api.PostAsJsonAsync($"/api/v1/vms/{vmId}/snapshots", new { name = "second", withMemory = false }))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }

        var child = page.Locator("[data-testid=snapshot-row][data-name=second]");
        await Assertions.Expect(child).ToBeVisibleAsync(slow);
        await Assertions.Expect(child.GetByTestId("snapshot-current")).ToBeVisibleAsync();
        await Assertions.Expect(first.GetByTestId("snapshot-current")).ToHaveCountAsync(0);
        await page.Mouse.MoveAsync(0, 0);
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("vm-snapshots") });

        await first.GetByTestId("snapshot-revert").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Revert" }).ClickAsync();
        await Assertions.Expect(first.GetByTestId("snapshot-current")).ToBeVisibleAsync(slow);
        await Assertions.Expect(page.GetByText("VM 'snappy' reverted to snapshot 'first'.")).ToBeVisibleAsync();

        foreach (var bad in new[] { "../etc", "", "-rf", "a b" })
        {
            using var refused = await Cluster.Api.PostAsJsonAsync($"/api/v1/vms/{vmId}/snapshots", new { name = bad });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        using (var duplicate = await Cluster.Api.PostAsJsonAsync($"/api/v1/vms/{vmId}/snapshots", new { name = "first" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
            Assert.Contains("already has a snapshot named 'first'", await duplicate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var unknown = await Cluster.Api.PostAsJsonAsync($"/api/v1/vms/{Guid.NewGuid()}/snapshots", new { name = "x" }))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        using (var deleted = await Cluster.Api.DeleteAsync($"/api/v1/vms/{vmId}/snapshots/second"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        var list = JsonDocument.Parse(await Cluster.Api.GetStringAsync($"/api/v1/vms/{vmId}/snapshots")).RootElement;
        var only = Assert.Single(list.GetProperty("snapshots").EnumerateArray());
        Assert.Equal("first", only.GetProperty("name").GetString());
        Assert.True(only.GetProperty("withMemory").GetBoolean());
        Assert.Equal("first", list.GetProperty("current").GetString());
        await Assertions.Expect(child).ToHaveCountAsync(0);
    }

    private async Task<Guid> CreateVmAsync(string name)
    {
        using var response = await Cluster.Api.PostAsJsonAsync("/api/v1/vms", new
        {
            name,
            hostId = HostId,
            memoryMiB = 256,
            cdromIsoPath = Cluster.GuestIsoInPool,
            disks = new[] { new { sizeMiB = 64 } },
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("vmId").GetGuid();
    }
}
