namespace WebVirt.Web.Tasks;

/// <summary>
/// Which tasks a user may see: tasks on VMs they may audit (<see cref="Vms"/> null = every VM), and tasks on
/// anything else (hosts, storage…) only with Sys.Audit on the root. Public because dialog parameters are.
/// </summary>
public sealed record TaskScope(IReadOnlySet<Guid>? Vms, bool OtherTargets)
{
    public const string VmTarget = "vm";

    public bool Sees(TaskRecord task) =>
        task.TargetType == VmTarget
            ? Vms is null || (Guid.TryParse(task.TargetId, out var vmId) && Vms.Contains(vmId))
            : OtherTargets;
}
