using System.Net;
using Microsoft.Playwright;
using WebVirt.TestSupport;

namespace WebVirt.E2E.Tests.Ui;

/// <summary>The create wizard and the VM page in the real Chromium against the panel and an agent as real processes.</summary>
[Collection(RealProcessesCollection.Name)]
public sealed class VmPagesTests : ClusterBrowserTest
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Wizard_CreatesAndStartsAVm_VmPageFollowsIt_DeleteTakesItAway()
    {
        var boot = new LocatorAssertionsToHaveTextOptions { Timeout = (float)Boot.TotalMilliseconds };
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(Cluster.PanelUrl + "/");
        await page.GetByLabel("User name").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync(TestCluster.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("vm-table")).ToBeVisibleAsync();

        var name = page.GetByLabel("Name", new() { Exact = true });
        var create = page.GetByTestId("create-submit");
        await page.GetByTestId("create-vm").ClickAsync();
        await name.FillAsync("bad name!");
        await Assertions.Expect(page.GetByText("Use letters, digits")).ToBeVisibleAsync();
        await Assertions.Expect(create).ToBeDisabledAsync();

        await name.FillAsync("wizard-vm");
        await page.GetByLabel("CD-ROM ISO path (optional)").FillAsync(Cluster.GuestIsoInPool);
        await page.GetByLabel("Memory (MiB)").FillAsync("256");
        await page.GetByLabel("Add a disk").UncheckAsync();
        await page.GetByLabel("Start after create").CheckAsync();
        await Assertions.Expect(page.GetByText("Use letters, digits")).ToHaveCountAsync(0);
        await Assertions.Expect(create).ToBeEnabledAsync();
        await page.Mouse.MoveAsync(0, 0);
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("wizard"), FullPage = true });
        await create.ClickAsync();

        await page.WaitForURLAsync(url => url.Contains("/vms/", StringComparison.Ordinal) && !url.EndsWith("/new", StringComparison.Ordinal));
        var vmId = Guid.Parse(page.Url[(page.Url.LastIndexOf('/') + 1)..]);
        await Assertions.Expect(page.GetByTestId("vm-name")).ToHaveTextAsync("wizard-vm");
        await Assertions.Expect(page.GetByTestId("vm-state")).ToHaveTextAsync("Running", boot);
        await Assertions.Expect(page.GetByTestId("vm-summary")).ToContainTextAsync(Cluster.GuestIsoInPool);
        await Assertions.Expect(page.GetByTestId("vm-summary")).ToContainTextAsync("256 MiB");
        await page.Mouse.MoveAsync(0, 0);
        await page.WaitForTimeoutAsync(500);
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("vm-page") });

        await page.GetByRole(AriaRole.Tab, new() { Name = "Tasks" }).ClickAsync();
        var createTask = page.Locator("tr.wv-task-row", new() { HasText = "vm.create" });
        var startTask = page.Locator("tr.wv-task-row", new() { HasText = "vm.start" });
        await Assertions.Expect(createTask.GetByTestId("task-status")).ToHaveTextAsync("Succeeded");
        await Assertions.Expect(startTask.GetByTestId("task-status")).ToHaveTextAsync("Succeeded", boot);
        await createTask.ClickAsync();
        await Assertions.Expect(page.GetByTestId("task-log")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("vm-tasks") });

        await page.GetByTestId("vm-stop").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Stop (hard power-off)" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("vm-state")).ToHaveTextAsync("Stopped", boot);

        await page.GetByTestId("vm-delete").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        var confirm = dialog.GetByTestId("delete-confirm");
        await dialog.GetByRole(AriaRole.Textbox).FillAsync("wizard-v");
        await Assertions.Expect(confirm).ToBeDisabledAsync();
        await dialog.GetByRole(AriaRole.Textbox).FillAsync("wizard-vm");
        await dialog.GetByLabel("Also delete its disks").CheckAsync();
        await Assertions.Expect(confirm).ToBeEnabledAsync();
        await confirm.ClickAsync();

        await page.WaitForURLAsync(Cluster.PanelUrl + "/");
        await Assertions.Expect(page.GetByTestId("vm-table")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("tr.wv-vm-row", new() { HasText = "wizard-vm" })).ToHaveCountAsync(0);
        using var response = await Cluster.Api.GetAsync($"/api/v1/vms/{vmId}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
