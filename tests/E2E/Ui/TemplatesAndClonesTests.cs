using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using WebVirt.TestSupport;

namespace WebVirt.E2E.Tests.Ui;

/// <summary>Convert to template and linked clone from the VM page in the real Chromium; the clone boots the real guest.</summary>
[Collection(RealProcessesCollection.Name)]
public sealed class TemplatesAndClonesTests : ClusterBrowserTest
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task TemplateFromTheUi_LinkedCloneBoots_TemplateCannotBeDeletedWhileItExists()
    {
        var templateId = await CreateVmAsync("base");
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(Cluster.PanelUrl + $"/vms/{templateId}");
        await page.GetByLabel("User name").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync(TestCluster.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("vm-name")).ToHaveTextAsync("base");

        await page.GetByTestId("vm-to-template").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Convert" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("vm-template")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("vm-to-template")).ToHaveCountAsync(0);
        using (var start = await Cluster.Api.PostAsync($"/api/v1/vms/{templateId}/start", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, start.StatusCode);
        }

        await page.GetByTestId("vm-clone").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Name of the clone").FillAsync("base-linked");
        await Assertions.Expect(dialog.GetByLabel("Linked clone (small, instant: its disks build on the template's)")).ToBeCheckedAsync();
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("vm-clone-dialog") });
        await dialog.GetByTestId("clone-confirm").ClickAsync();

        await Assertions.Expect(page.GetByTestId("vm-name")).ToHaveTextAsync("base-linked", new() { Timeout = (float)Boot.TotalMilliseconds });
        var cloneId = Guid.Parse(page.Url[(page.Url.LastIndexOf('/') + 1)..]);
        Assert.NotEqual(templateId, cloneId);
        var template = await Cluster.GetVmAsync(templateId);
        var clone = await Cluster.GetVmAsync(cloneId);
        Assert.NotEqual(Mac(template), Mac(clone));
        Assert.True(template.GetProperty("definition").GetProperty("isTemplate").GetBoolean());
        Assert.False(clone.GetProperty("definition").GetProperty("isTemplate").GetBoolean());

        using (var start = await Cluster.Api.PostAsync($"/api/v1/vms/{cloneId}/start", null))
        {
            Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        }

        await using (var serial = await SerialConsole.ConnectAsync(Path.Combine(Cluster.AgentRunDirectory, cloneId.ToString(), "serial.sock"), TimeSpan.FromSeconds(10)))
        {
            await serial.WaitForAsync(TestGuest.ReadyLine, Boot);
        }

        using (var delete = await Cluster.Api.DeleteAsync($"/api/v1/vms/{templateId}?removeDisks=true"))
        {
            Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
            Assert.Contains("linked clones (base-linked)", await delete.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, (await Cluster.Api.GetAsync($"/api/v1/vms/{templateId}")).StatusCode);
        using (var badName = await Cluster.Api.PostAsJsonAsync($"/api/v1/vms/{templateId}/clone", new { name = "../evil", linked = true }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        }

        using (var linkedFromVm = await Cluster.Api.PostAsJsonAsync($"/api/v1/vms/{cloneId}/clone", new { name = "second", linked = true }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, linkedFromVm.StatusCode);
        }
    }

    private static string Mac(JsonElement vm) =>
        vm.GetProperty("definition").GetProperty("nics")[0].GetProperty("macAddress").GetString()!;

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
