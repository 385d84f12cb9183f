using WebVirt.Shared.Vms;

namespace WebVirt.Web.Components.Shared;

/// <summary>
/// What the UI shows of a VM: a few fields, so 1000 VMs per open tab stay cheap. Public because components are.
/// <see cref="PoolName"/> is the resource pool the VM is in (null: none), so pool filters and the pools view work in memory.
/// </summary>
public sealed record VmRow(
    Guid Id,
    string Name,
    Guid HostId,
    string HostName,
    VmPowerState State,
    VmPowerState DesiredState,
    int VCpus,
    int MemoryMiB,
    string? LastExit,
    string? StateMismatch,
    IReadOnlyList<string> Tags,
    bool HasPendingChanges,
    string? PoolName = null);
