using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Encryption;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;
using WebVirt.Web.Tasks;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Operations;

/// <summary>
/// Runs a <see cref="VmCommand"/>: checks the privilege, loads the VM with its host, disks and NICs, checks the
/// request, starts the task, hands the host the VM's disk keys and sends the command, then lets
/// <see cref="OperationFinisher"/> reconcile the reply's report, finish the task and tell open pages.
/// </summary>
internal sealed class VmCommandPipeline(
    IDbContextFactory<WebVirtDbContext> contexts,
    PermissionService permissions,
    TaskLog tasks,
    DiskKeyVault keys,
    OperationFinisher finisher)
{
    public async Task<OperationResult> RunAsync(Guid vmId, VmCommand command, ClaimsPrincipal user) =>
        await permissions.HasOnVmAsync(user, vmId, command.Privilege)
            ? await RunAsync(vmId, command, Actor.NameOf(user))
            : new OperationResult(OperationStatus.Forbidden, $"You lack {command.Privilege} on VM {vmId}.");

    /// <summary>Without a permission check: for the panel's own work (the backup scheduler checked when the schedule was saved).</summary>
    public async Task<OperationResult> RunAsync(Guid vmId, VmCommand command, string userName)
    {
        VmRecord? vm;
        await using (var db = await contexts.CreateDbContextAsync())
        {
            vm = await VmQueries.ReadAsync(db, vmId);
        }

        if (vm is null)
        {
            return new OperationResult(OperationStatus.NotFound, $"No VM with id {vmId}.");
        }

        if (command.Check is { } check && await check(vm) is { } refused)
        {
            return refused;
        }

        var task = await tasks.StartAsync(command.TaskKind, "vm", vm.Id.ToString(), vm.Name, userName, command.TaskDetails);
        var reply = await keys.SendWithKeysAsync(vm.Id, vm.HostId, vm.Host!.Name, command.Send(task.Id), command.Timeout);
        return await finisher.FinishAsync(task.Id, vm.Id, reply, command.Done(vm));
    }
}
