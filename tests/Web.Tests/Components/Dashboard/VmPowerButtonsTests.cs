using Bunit;
using WebVirt.Shared.Vms;
using WebVirt.Web.Components.Pages.Dashboard;

namespace WebVirt.Web.Tests.Components.Dashboard;

public sealed class VmPowerButtonsTests : IAsyncLifetime
{
    private readonly BunitContext _context = ComponentContext.Create();

    [Fact]
    public void StoppedVm_StartEnabled_ShutdownAndStopDisabled()
    {
        var buttons = Render(VmPowerState.Stopped, allowed: true, busy: false);

        Assert.False(buttons.Find("[data-testid=vm-start]").HasAttribute("disabled"));
        Assert.True(buttons.Find("[data-testid=vm-shutdown]").HasAttribute("disabled"));
        Assert.True(buttons.Find("[data-testid=vm-stop]").HasAttribute("disabled"));
    }

    [Fact]
    public void RunningVm_StartDisabled_ShutdownAndStopEnabled()
    {
        var buttons = Render(VmPowerState.Running, allowed: true, busy: false);

        Assert.True(buttons.Find("[data-testid=vm-start]").HasAttribute("disabled"));
        Assert.False(buttons.Find("[data-testid=vm-shutdown]").HasAttribute("disabled"));
        Assert.False(buttons.Find("[data-testid=vm-stop]").HasAttribute("disabled"));
    }

    [Fact]
    public void Busy_DisablesEveryButton()
    {
        var buttons = Render(VmPowerState.Running, allowed: true, busy: true);

        Assert.All(buttons.FindAll("button"), b => Assert.True(b.HasAttribute("disabled")));
        Assert.Equal(3, buttons.FindAll("button").Count);
    }

    [Theory]
    [InlineData(VmPowerState.Stopped)]
    [InlineData(VmPowerState.Running)]
    public void WithoutPowerPermission_NoButtonIsShown(VmPowerState state)
    {
        var buttons = Render(state, allowed: false, busy: false);

        Assert.Empty(buttons.FindAll("button"));
        Assert.Empty(buttons.FindAll("[data-testid^=vm-]"));
    }

    private IRenderedComponent<VmPowerButtons> Render(VmPowerState state, bool allowed, bool busy) =>
        _context.Render<VmPowerButtons>(p => p
            .Add(b => b.Vm, SampleRows.Row("vm1", state, SampleRows.Node1))
            .Add(b => b.Allowed, allowed)
            .Add(b => b.Busy, busy));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();
}
