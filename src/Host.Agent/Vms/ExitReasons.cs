using WebVirt.Hypervisor.Processes;

namespace WebVirt.Host.Agent.Vms;

/// <summary>The short reason codes a VM report carries when a VM stops.</summary>
internal static class ExitReasons
{
    public static string Of(VmExitKind kind) => kind switch
    {
        VmExitKind.GuestShutdown => "guest-shutdown",
        VmExitKind.Stopped => "stopped",
        VmExitKind.Killed => "killed",
        VmExitKind.Crashed => "crashed",
        _ => "exited",
    };
}
