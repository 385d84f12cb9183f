using Microsoft.Extensions.Logging;
using WebVirt.Hypervisor.Processes;
using System.Net.WebSockets;

namespace WebVirt.Host.Agent.Tunnels;

/// <summary>
/// The agent's serial consoles: one <see cref="SerialFanout"/> per VM while someone watches it. The first
/// viewer connects the chardev, the last one to leave lets it go (so nothing else is locked out for good).
/// </summary>
internal sealed class SerialConsoles(ILoggerFactory loggerFactory)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, SerialFanout> _fanouts = [];

    public async Task ViewAsync(VmPaths paths, WebSocket viewer, CancellationToken cancellationToken)
    {
        SerialFanout fanout;
        lock (_lock)
        {
            if (!_fanouts.TryGetValue(paths.Uuid, out fanout!) || !fanout.TryJoin())
            {
                fanout = new SerialFanout(paths, loggerFactory.CreateLogger<SerialFanout>());
                fanout.TryJoin();
                _fanouts[paths.Uuid] = fanout;
            }
        }

        try
        {
            await fanout.ServeAsync(viewer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            bool last;
            lock (_lock)
            {
                last = fanout.Leave();
                if (last && _fanouts.GetValueOrDefault(paths.Uuid) == fanout)
                {
                    _fanouts.Remove(paths.Uuid);
                }
            }

            if (last)
            {
                await fanout.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>How many viewers watch a VM's serial console now (for tests and diagnostics).</summary>
    public int ViewersOf(Guid vmId)
    {
        lock (_lock)
        {
            return _fanouts.GetValueOrDefault(vmId)?.Viewers ?? 0;
        }
    }
}
