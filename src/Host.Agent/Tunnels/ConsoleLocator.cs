using WebVirt.Host.Agent.Vms;
using WebVirt.Hypervisor.Processes;
using WebVirt.Shared.Tunnels;

namespace WebVirt.Host.Agent.Tunnels;

/// <summary>Which console of which running VM a tunnel may relay.</summary>
internal sealed class ConsoleLocator(VmRegistry registry)
{
    /// <summary>
    /// The files of a running VM whose console of <paramref name="kind"/> a tunnel may relay, or null with the
    /// reason (no such VM, not running, that console turned off). Tunnels themselves are opened by
    /// <see cref="Tunnels.TunnelDialer"/>, which knows the panel's address.
    /// </summary>
    public VmPaths? ConsoleOf(Guid uuid, TunnelKind kind, out string? refusal)
    {
        var entry = registry.TryGetEntry(uuid);
        if (entry is null || !entry.IsVisible)
        {
            refusal = $"There is no VM {uuid} on this host.";
            return null;
        }

        if (entry.Run is not { } run)
        {
            refusal = $"VM '{entry.Name}' is not running.";
            return null;
        }

        var enabled = kind switch
        {
            TunnelKind.Vnc => entry.Definition?.Display is not { Vnc: false } && File.Exists(run.Process.Paths.VncSocket),
            TunnelKind.Serial => entry.Definition?.SerialConsole is not false && File.Exists(run.Process.Paths.SerialSocket),
            _ => false,
        };
        if (!enabled)
        {
            refusal = $"VM '{entry.Name}' has no {(kind == TunnelKind.Vnc ? "VNC" : kind.ToString().ToLowerInvariant())} console.";
            return null;
        }

        refusal = null;
        return run.Process.Paths;
    }
}
