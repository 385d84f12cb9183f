using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Web.Components.Pages.Consoles;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;
using WebVirt.Web.Tests.Components;
using WebVirt.Web.Tests.Hosting;
using WebVirt.Web.Thumbnails;

namespace WebVirt.Web.Tests.Thumbnails;

/// <summary>A VM's live screen needs VM.Console on it, as the console does; VM.Audit alone shows a placeholder and captures nothing.</summary>
public sealed class ThumbnailAccessTests : IAsyncLifetime
{
    private readonly PanelFactory _panel = new();
    private Guid _vmId;
    private string _auditor = null!;
    private string _operator = null!;

    public async Task InitializeAsync()
    {
        using var admin = await PanelClients.AdminAsync(_panel);
        var host = await PanelClients.CreateHostAsync(admin, "node1");
        await using (var db = await _panel.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>().CreateDbContextAsync())
        {
            _vmId = Guid.NewGuid();
            db.Vms.Add(new VmRecord { Id = _vmId, HostId = host.Id, Name = "vm-a" });
            await db.SaveChangesAsync();
        }

        _auditor = await PanelAccess.CreateUserAsync(_panel, "audit");
        _operator = await PanelAccess.CreateUserAsync(_panel, "ops");
        await PanelAccess.AsAdminAsync(_panel, (access, a) => access.AddAclEntryAsync(a, "/", _auditor, null, BuiltInRoles.Auditor, propagate: true));
        await PanelAccess.AsAdminAsync(_panel, (access, a) => access.AddAclEntryAsync(a, "/", _operator, null, BuiltInRoles.Operator, propagate: true));
    }

    [Fact]
    public async Task Auditor_SeesAPlaceholder_AndNoCaptureIsWatched()
    {
        await using var context = ComponentContext.Create(_panel, _auditor);

        var thumbnail = context.Render<VmScreenThumbnail>(p => p.Add(t => t.VmId, _vmId).Add(t => t.Running, true));

        thumbnail.WaitForAssertion(() => Assert.Contains("needs VM.Console", thumbnail.Find("[data-testid=vm-thumbnail-empty]").GetAttribute("title"), StringComparison.Ordinal));
        Assert.Equal(0, _panel.Services.GetRequiredService<VmThumbnails>().WatchedCount);
    }

    [Fact]
    public async Task ConsoleHolder_WatchesTheScreen()
    {
        await using var context = ComponentContext.Create(_panel, _operator);

        var thumbnail = context.Render<VmScreenThumbnail>(p => p.Add(t => t.VmId, _vmId).Add(t => t.Running, true));

        thumbnail.WaitForAssertion(() => Assert.Equal(1, _panel.Services.GetRequiredService<VmThumbnails>().WatchedCount));
        Assert.Null(thumbnail.Find("[data-testid=vm-thumbnail-empty]").GetAttribute("title"));
    }

    public Task DisposeAsync()
    {
        _panel.Dispose();
        return Task.CompletedTask;
    }
}
