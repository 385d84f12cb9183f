using WebVirt.Shared.Vms;

namespace WebVirt.Web.Vms;

/// <summary>The options of a disk that QEMU fixes at launch: changed like the rest of the hardware (pending while the VM runs).</summary>
public sealed record HardwareDiskOptions(DiskBus Bus, DiskCache Cache, bool Discard);
