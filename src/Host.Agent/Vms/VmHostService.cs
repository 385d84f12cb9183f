using Microsoft.Extensions.Hosting;

namespace WebVirt.Host.Agent.Vms;

/// <summary>
/// Ties the VM host to the process's lifetime: re-attaches before the host reports started (systemd's
/// READY=1 then means the running VMs are known), autostarts in the background, lets go at stop.
/// </summary>
internal sealed class VmHostService(VmHost host) : IHostedService
{
    private Task _autostart = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await host.InitializeAsync(cancellationToken).ConfigureAwait(false);
        _autostart = Task.Run(host.AutostartAsync, CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await host.DisposeAsync().ConfigureAwait(false);
        await _autostart.ConfigureAwait(false);
    }
}
