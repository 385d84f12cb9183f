using WebVirt.Shared.Vms;

namespace WebVirt.Web.Inventory;

/// <summary>A VM's state right after <see cref="VmStateWriter"/> wrote it, for the operation that asked.</summary>
internal sealed record VmStateSnapshot(VmPowerState Actual, VmPowerState Desired, bool PendingDeletion);
