using MudBlazor;
using WebVirt.Shared.Vms;

namespace WebVirt.Web.Components.Shared;

/// <summary>
/// A VM's power state as the UI may state it. The stored state is the last one its host reported; while that host's
/// agent is away nobody knows whether the VM still runs, so the VM is shown as Unknown with since when, never as the
/// last report, and its actions are off with that reason. Table, navigation tree and VM page all ask this one place.
/// </summary>
/// <param name="State">The state to show (Unknown while the host is offline).</param>
/// <param name="Label">The words to show, with the reason when the state is not known.</param>
/// <param name="Unavailable">Why the VM cannot be acted on now; null when it can.</param>
public sealed record VmShownState(VmPowerState State, string Label, string? Unavailable)
{
    public Color Color => VmStateStyle.ColorOf(State);

    public string Icon => VmStateStyle.IconOf(State);

    /// <summary>The state to show for a VM whose host is connected or not; <paramref name="hostLastSeen"/> is when the host was last heard from.</summary>
    public static VmShownState Of(VmPowerState reported, bool hostConnected, DateTimeOffset? hostLastSeen)
    {
        if (hostConnected)
        {
            return new VmShownState(reported, VmStateStyle.Label(reported), null);
        }

        var since = hostLastSeen is { } seen ? $" since {Since(seen)}" : "";
        return new VmShownState(VmPowerState.Unknown, $"Unknown (host offline{since})",
            $"The host is offline{since}: its agent must reconnect before this VM can be started, stopped or changed.");
    }

    /// <summary>The row's state given its host; a host this user cannot see is taken as connected (nothing better is known).</summary>
    public static VmShownState Of(VmRow vm, HostSummary? host) => Of(vm.State, host?.Connected ?? true, host?.LastSeenAt);

    /// <summary>
    /// The last exit, but only while it describes the VM's current stop: a VM running again has left that exit
    /// behind, and showing it then reads as a current problem.
    /// </summary>
    public string? CurrentExit(string? lastExit) => State is VmPowerState.Stopped or VmPowerState.Crashed ? lastExit : null;

    // Today's times need no date; older ones do.
    private static string Since(DateTimeOffset seen)
    {
        var local = seen.ToLocalTime();
        return local.Date == DateTimeOffset.Now.Date ? local.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)
            : local.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
    }
}
