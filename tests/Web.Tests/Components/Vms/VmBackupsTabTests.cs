using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Shared.Vms;
using WebVirt.Web.Backups;
using WebVirt.Web.Components.Pages.Vms;
using WebVirt.Web.Inventory;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Components.Vms;

/// <summary>The backup schedule form shows what is saved, and says when an edit is not.</summary>
public sealed class VmBackupsTabTests : IAsyncLifetime
{
    private readonly PanelFactory _panel = new();
    private readonly BunitContext _context;
    private VmRecord _vm = default!;

    public VmBackupsTabTests() => _context = ComponentContext.Create(_panel);

    [Fact]
    public void NothingSaved_TheSwitchIsOff_AndTheTabSaysNoScheduleIsSaved()
    {
        var tab = Render();

        Assert.False(ComponentContext.Input(tab, "schedule-enabled").HasAttribute("checked"));
        Assert.Contains("No schedule saved", tab.Find("[data-testid=schedule-next]").TextContent, StringComparison.Ordinal);
        Assert.Empty(tab.FindAll("[data-testid=schedule-unsaved]"));
    }

    [Fact]
    public async Task SwitchingOn_IsMarkedNotSavedYet_UntilSaved_ThenTheSavedScheduleIsShown()
    {
        var tab = Render();

        await tab.InvokeAsync(() => Switch(tab).Instance.ValueChanged.InvokeAsync(true));
        Assert.Single(tab.FindAll("[data-testid=schedule-unsaved]"));
        Assert.Contains("No schedule saved", tab.Find("[data-testid=schedule-next]").TextContent, StringComparison.Ordinal);

        tab.Find("[data-testid=schedule-save]").Click();

        tab.WaitForAssertion(() => Assert.Empty(tab.FindAll("[data-testid=schedule-unsaved]")));
        Assert.Contains("Saved: daily at 02:00 UTC, keep last 7 · next run", tab.Find("[data-testid=schedule-next]").TextContent, StringComparison.Ordinal);
        await using var db = await Contexts.CreateDbContextAsync();
        var saved = await db.BackupSchedules.SingleAsync(s => s.VmId == _vm.Id);
        Assert.True(saved.Enabled);
        Assert.Equal(120, saved.DailyAtMinute);
    }

    [Fact]
    public async Task SavedSchedule_IsWhatTheFormShows_EvenWithTheHostAway()
    {
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            db.BackupSchedules.Add(new BackupScheduleRecord { VmId = _vm.Id, Enabled = true, EveryHours = 12, KeepLast = 3, NextRunAt = DateTimeOffset.UtcNow.AddHours(1), UserName = "admin" });
            await db.SaveChangesAsync();
        }

        var tab = Render();

        Assert.True(ComponentContext.Input(tab, "schedule-enabled").HasAttribute("checked"));
        Assert.Equal("12", ComponentContext.Input(tab, "schedule-hours").GetAttribute("value"));
        Assert.Equal("3", ComponentContext.Input(tab, "schedule-keep").GetAttribute("value"));
        Assert.Contains("Saved: every 12 hours, keep last 3", tab.Find("[data-testid=schedule-next]").TextContent, StringComparison.Ordinal);
        Assert.Empty(tab.FindAll("[data-testid=schedule-unsaved]"));
    }

    private IRenderedComponent<VmBackupsTab> Render() => _context.Render<VmBackupsTab>(p => p.Add(t => t.Vm, _vm));

    private static IRenderedComponent<MudBlazor.MudSwitch<bool>> Switch(IRenderedComponent<VmBackupsTab> tab) =>
        tab.FindComponents<MudBlazor.MudSwitch<bool>>().Single(s => s.Instance.UserAttributes.TryGetValue("data-testid", out var id) && Equals(id, "schedule-enabled"));

    private IDbContextFactory<WebVirtDbContext> Contexts => _panel.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>();

    // The host's agent is not connected: the backup list cannot be read, the schedule (the panel's own) still can.
    public async Task InitializeAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var host = new HostRecord { Id = Guid.NewGuid(), Name = "node1", TokenHash = "x", ImagePool = "/srv/images" };
        _vm = new VmRecord { Id = Guid.NewGuid(), HostId = host.Id, Host = host, Name = "vm1", MemoryMiB = 256, ActualState = VmPowerState.Stopped };
        db.Hosts.Add(host);
        db.Vms.Add(_vm);
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        _panel.Dispose();
    }
}
