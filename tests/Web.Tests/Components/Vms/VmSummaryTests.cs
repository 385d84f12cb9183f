using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using WebVirt.Shared.Vms;
using WebVirt.Web.Components.Pages.Vms;
using WebVirt.Web.Components.Shared;
using WebVirt.Web.Inventory;
using WebVirt.Web.Tests.Inventory;

namespace WebVirt.Web.Tests.Components.Vms;

/// <summary>The VM page's summary: uptime that ticks from the clock, the last exit only as the current stop's reason.</summary>
public sealed class VmSummaryTests : IAsyncDisposable
{
    private readonly BunitContext _context = new();
    private readonly ManualClock _clock = new();

    // The summary's clock must be in place before anything renders (ComponentContext renders the popover provider).
    public VmSummaryTests()
    {
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Services.AddMudServices();
        _context.Services.AddSingleton<TimeProvider>(_clock);
        _context.ComponentFactories.AddStub<WebVirt.Web.Components.Pages.Consoles.VmScreenThumbnail>();
    }

    [Fact]
    public void RunningVm_UptimeTicksWithTheClock_WithoutNewParameters()
    {
        var vm = Vm(VmPowerState.Running, lastExit: null);
        vm.StartedAt = _clock.GetUtcNow().AddMinutes(-5);

        var summary = Render(vm);
        Assert.Contains("(up 5m 0s)", Started(summary), StringComparison.Ordinal);

        // Nothing is given to the component again: its own timer renders the new uptime.
        _clock.Advance(TimeSpan.FromSeconds(3));
        summary.WaitForAssertion(() => Assert.Contains("(up 5m 3s)", Started(summary), StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void StoppedVm_ShowsItsLastExit()
    {
        var summary = Render(Vm(VmPowerState.Stopped, "The guest powered off"));

        Assert.Equal("The guest powered off", summary.Find("[data-testid=vm-summary-exit]").TextContent.Trim());
        Assert.Empty(summary.FindAll("[data-testid=vm-summary-previous-exit]"));
    }

    [Fact]
    public void RunningAgain_TheLastExitIsLabelledThePreviousStop_NotACurrentProblem()
    {
        var vm = Vm(VmPowerState.Running, "The guest powered off");
        vm.StartedAt = _clock.GetUtcNow().AddMinutes(-1);

        var summary = Render(vm);

        Assert.Empty(summary.FindAll("[data-testid=vm-summary-exit]"));
        var previous = summary.Find("[data-testid=vm-summary-previous-exit]").TextContent;
        Assert.StartsWith("The guest powered off (before the start at ", previous.Trim(), StringComparison.Ordinal);
        Assert.Contains("Previous stop", summary.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void HostOffline_StateIsUnknown_AndNoUptimeIsClaimed()
    {
        var vm = Vm(VmPowerState.Running, lastExit: null);
        vm.StartedAt = _clock.GetUtcNow().AddMinutes(-5);

        var summary = Render(vm, VmShownState.Of(vm.ActualState, hostConnected: false, hostLastSeen: null));

        Assert.StartsWith("Unknown (host offline)", summary.Find("[data-testid=vm-summary-state]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("–", Started(summary));
    }

    private IRenderedComponent<VmSummary> Render(VmRecord vm, VmShownState? shown = null) =>
        _context.Render<VmSummary>(p => p.Add(s => s.Vm, vm).Add(s => s.Shown, shown ?? VmShownState.Of(vm.ActualState, hostConnected: true, hostLastSeen: null)));

    private static string Started(IRenderedComponent<VmSummary> summary) => summary.Find("[data-testid=vm-summary-started]").TextContent.Trim();

    private static VmRecord Vm(VmPowerState state, string? lastExit) =>
        new() { Id = Guid.NewGuid(), HostId = Guid.NewGuid(), Name = "vm1", MemoryMiB = 256, ActualState = state, DesiredState = state, LastExit = lastExit };

    public ValueTask DisposeAsync() => _context.DisposeAsync();
}
