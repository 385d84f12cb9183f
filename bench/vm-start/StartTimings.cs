using System.Diagnostics;
using WebVirt.Hypervisor.Processes;
using WebVirt.Shared.Vms;
using WebVirt.TestSupport;

namespace WebVirt.Bench.VmStart;

internal static class StartTimings
{
    /// <summary>The supervisor's whole start: validation, folders, privilege drop, spawn, QMP negotiation.</summary>
    public static async Task<double> LibraryAsync(VmSupervisor supervisor, VmDefinition definition)
    {
        var clock = Stopwatch.StartNew();
        var vm = await supervisor.StartAsync(definition);
        await BareQemuLaunch.WaitForFileAsync(vm.Paths.VncSocket);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        await vm.StopAsync();
        await vm.DisposeAsync();
        return elapsed;
    }
}
