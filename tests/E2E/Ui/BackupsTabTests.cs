using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using WebVirt.TestSupport;

namespace WebVirt.E2E.Tests.Ui;

/// <summary>Backups from the VM page in the real Chromium; the backup restored as a new VM through the API boots with the guest's marker.</summary>
[Collection(RealProcessesCollection.Name)]
public sealed class BackupsTabTests : ClusterBrowserTest
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan Guest = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task BackupFromTheUi_VerifiesAndRestoresAsANewVmThatBootsWithTheMarker()
    {
        var slow = new LocatorAssertionsToBeVisibleOptions { Timeout = (float)Boot.TotalMilliseconds };
        var vmId = await CreateVmAsync("precious");
        using (var start = await Cluster.Api.PostAsync($"/api/v1/vms/{vmId}/start", null))
        {
            Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        }

        await using (var serial = await SerialConsole.ConnectAsync(Path.Combine(Cluster.AgentRunDirectory, vmId.ToString(), "serial.sock"), TimeSpan.FromSeconds(10)))
        {
            await serial.WaitForAsync(TestGuest.ReadyLine, Boot);
            await serial.SendLineAsync("webvirt-disk-write in-the-backup");
            await serial.WaitForAsync("WEBVIRT-DISK-WRITTEN in-the-backup", Guest);
        }

        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(Cluster.PanelUrl + $"/vms/{vmId}");
        await page.GetByLabel("User name").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync(TestCluster.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Backups" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("backup-empty")).ToBeVisibleAsync();

        await page.GetByTestId("backup-now").ClickAsync();
        var row = page.GetByTestId("backup-row");
        await Assertions.Expect(row).ToBeVisibleAsync(slow);
        await row.GetByTestId("backup-verify").ClickAsync();
        await Assertions.Expect(page.GetByText("is intact.")).ToBeVisibleAsync(slow);

        // Nothing is saved yet: the switch is off and the tab says so; switching it on is an edit not saved yet.
        await Assertions.Expect(page.GetByTestId("schedule-next")).ToContainTextAsync("No schedule saved");
        await page.GetByLabel("Enabled").CheckAsync();
        await Assertions.Expect(page.GetByTestId("schedule-unsaved")).ToBeVisibleAsync();
        await page.GetByLabel("Time (HH:MM, UTC)").FillAsync("25:00");
        await page.GetByTestId("schedule-save").ClickAsync();
        await Assertions.Expect(page.GetByText("the daily time must be between").Or(page.GetByText("dailyAt: use HH:MM"))).ToBeVisibleAsync();
        await page.GetByLabel("Time (HH:MM, UTC)").FillAsync("03:30");
        await page.GetByTestId("schedule-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("schedule-next")).ToContainTextAsync("Saved: daily at 03:30 UTC, keep last 7 · next run");
        await Assertions.Expect(page.GetByTestId("schedule-unsaved")).ToHaveCountAsync(0);
        await page.Mouse.MoveAsync(0, 0);
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("vm-backups") });

        var list = JsonDocument.Parse(await Cluster.Api.GetStringAsync($"/api/v1/vms/{vmId}/backups")).RootElement;
        var backupId = Assert.Single(list.GetProperty("backups").EnumerateArray()).GetProperty("id").GetString();
        Assert.Equal(210, list.GetProperty("schedule").GetProperty("dailyAtMinute").GetInt32());

        using (var badName = await Cluster.Api.PostAsJsonAsync($"/api/v1/vms/{vmId}/backups/{backupId}/restore", new { newName = "no/slash" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        }

        using var restore = await Cluster.Api.PostAsJsonAsync($"/api/v1/vms/{vmId}/backups/{backupId}/restore", new { newName = "precious-copy" });
        var body = await restore.Content.ReadAsStringAsync();
        Assert.True(restore.StatusCode == HttpStatusCode.OK, body);
        var copyId = JsonDocument.Parse(body).RootElement.GetProperty("vmId").GetGuid();
        using (var start = await Cluster.Api.PostAsync($"/api/v1/vms/{copyId}/start", null))
        {
            Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        }

        await using (var serial = await SerialConsole.ConnectAsync(Path.Combine(Cluster.AgentRunDirectory, copyId.ToString(), "serial.sock"), TimeSpan.FromSeconds(10)))
        {
            await serial.WaitForAsync(TestGuest.ReadyLine, Boot);
            await serial.SendLineAsync("webvirt-disk-read");
            await serial.WaitForAsync("WEBVIRT-DISK-MARKER in-the-backup", Guest);
        }
    }

    [Fact]
    public async Task EncryptedVm_BackupMarkedEncryptedAndUncompressed_SnapshotDialogOffersNoRam()
    {
        var slow = new LocatorAssertionsToBeVisibleOptions { Timeout = (float)Boot.TotalMilliseconds };
        var vmId = await CreateVmAsync("sealed", encrypted: true);
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(Cluster.PanelUrl + $"/vms/{vmId}");
        await page.GetByLabel("User name").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync(TestCluster.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await page.GetByRole(AriaRole.Tab, new() { Name = "Backups" }).ClickAsync();
        await page.GetByTestId("backup-now").ClickAsync();
        await Assertions.Expect(page.GetByTestId("backup-row")).ToBeVisibleAsync(slow);
        await Assertions.Expect(page.GetByTestId("backup-encrypted")).ToContainTextAsync("Encrypted, uncompressed");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Snapshots" }).ClickAsync();
        await page.GetByTestId("snapshot-take").ClickAsync();
        var dialog = page.GetByTestId("snapshot-dialog");
        await Assertions.Expect(dialog.GetByText("not with encrypted disks")).ToBeVisibleAsync();
        await Assertions.Expect(dialog.Locator("input[type=checkbox]")).ToBeDisabledAsync();
        await context.CloseAsync();
    }

    private async Task<Guid> CreateVmAsync(string name, bool encrypted = false)
    {
        using var response = await Cluster.Api.PostAsJsonAsync("/api/v1/vms", new
        {
            name,
            hostId = HostId,
            memoryMiB = 256,
            cdromIsoPath = Cluster.GuestIsoInPool,
            disks = new[] { new { sizeMiB = 64, encrypted } },
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("vmId").GetGuid();
    }
}
