using WebVirt.Shared.Hosts;

namespace WebVirt.Hypervisor.Acceleration;

/// <summary>Which accelerator VMs on this host get, and why, in words shown to the user.</summary>
public sealed record AccelerationProbeResult(Accelerator Accelerator, string Reason);
