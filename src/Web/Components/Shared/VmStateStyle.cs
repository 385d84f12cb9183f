using MudBlazor;
using WebVirt.Shared.Vms;

namespace WebVirt.Web.Components.Shared;

/// <summary>One colour and icon per power state, the same in the navigation and the tables.</summary>
internal static class VmStateStyle
{
    public static Color ColorOf(VmPowerState state) => state switch
    {
        VmPowerState.Running => Color.Success,
        VmPowerState.Starting or VmPowerState.ShuttingDown or VmPowerState.Migrating => Color.Info,
        VmPowerState.Paused => Color.Warning,
        VmPowerState.Crashed => Color.Error,
        VmPowerState.Stopped => Color.Default,
        // Not known (its host is offline, mostly): it must stand out in both themes, not fade like Dark does in the dark one.
        _ => Color.Warning,
    };

    public static string IconOf(VmPowerState state) => state switch
    {
        VmPowerState.Running => Icons.Material.Filled.PlayCircle,
        VmPowerState.Starting or VmPowerState.ShuttingDown or VmPowerState.Migrating => Icons.Material.Filled.Autorenew,
        VmPowerState.Paused => Icons.Material.Filled.PauseCircle,
        VmPowerState.Crashed => Icons.Material.Filled.Error,
        VmPowerState.Stopped => Icons.Material.Filled.StopCircle,
        _ => Icons.Material.Filled.Help,
    };

    public static string Label(VmPowerState state) => state switch
    {
        VmPowerState.ShuttingDown => "Shutting down",
        _ => state.ToString(),
    };
}
