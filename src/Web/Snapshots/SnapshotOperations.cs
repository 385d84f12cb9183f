using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Rules.Snapshots;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Snapshots;
using WebVirt.Web.Agents;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;
using WebVirt.Web.Tasks;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Snapshots;

/// <summary>
/// Snapshot operations of the panel, shared by the API and the UI: permission (VM.Snapshot), validation before
/// anything is recorded, a task with live progress from the agent, an audit row, and the VM's new state.
/// </summary>
internal sealed class SnapshotOperations(
    IDbContextFactory<WebVirtDbContext> contexts,
    AgentGateway agents,
    TaskLog tasks,
    InventoryNotifier notifier,
    PermissionService permissions,
    WebVirt.Web.Encryption.DiskKeyVault keys)
{
    /// <summary>Saving a large RAM under TCG takes minutes; the agent reports progress meanwhile.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(30);

    public async Task<(OperationResult? Error, SnapshotListResponse? List)> ListAsync(Guid vmId, ClaimsPrincipal user)
    {
        var (vm, error) = await FindAsync(vmId, user, Privileges.VmAudit);
        if (vm is null)
        {
            return (error, null);
        }

        SnapshotListReply reply;
        if (!agents.IsConnected(vm.HostId))
        {
            return (new OperationResult(OperationStatus.HostFailed, $"Host '{vm.Host!.Name}' is offline: its agent is not connected."), null);
        }

        try
        {
            reply = await agents.QueryAsync(vm.HostId, agent => agent.ListSnapshots(vmId), AgentGateway.DefaultTimeout);
        }
        catch (AgentUnavailableException ex)
        {
            return (new OperationResult(OperationStatus.HostFailed, ex.Message), null);
        }

        return reply.Result.Ok
            ? (null, new SnapshotListResponse(reply.Snapshots, reply.Current))
            : (FromReply(reply.Result, null), null);
    }

    public async Task<OperationResult> TakeAsync(Guid vmId, TakeSnapshotRequest request, ClaimsPrincipal user)
    {
        var (vm, error) = await FindAsync(vmId, user, Privileges.VmSnapshot);
        if (vm is null)
        {
            return error!;
        }

        if (SnapshotNameRules.Check(request.Name) is { } nameProblem)
        {
            return new OperationResult(OperationStatus.Invalid, $"name: {nameProblem}");
        }

        if (SnapshotNameRules.CheckDescription(request.Description) is { } descriptionProblem)
        {
            return new OperationResult(OperationStatus.Invalid, $"description: {descriptionProblem}");
        }

        if (request.WithMemory && await HasEncryptedDiskAsync(vmId))
        {
            return new OperationResult(OperationStatus.Invalid, $"withMemory: {SnapshotMemoryRules.EncryptedDisksRefusal}");
        }

        var task = await tasks.StartAsync("vm.snapshot", "vm", vm.Id.ToString(), vm.Name, UserName(user),
            $"snapshot '{request.Name}' {(request.WithMemory ? "with" : "without")} memory");
        var reply = await keys.SendWithKeysAsync(vm.Id, vm.HostId, vm.Host!.Name,
            agent => agent.TakeSnapshot(new SnapshotRequest(vmId, request.Name!, request.Description, request.WithMemory, task.Id)), Timeout);
        return await FinishAsync(task.Id, vm.Id, reply, $"Snapshot '{request.Name}' of VM '{vm.Name}' taken.");
    }

    public async Task<OperationResult> RevertAsync(Guid vmId, string name, ClaimsPrincipal user)
    {
        var (vm, error) = await FindAsync(vmId, user, Privileges.VmSnapshot);
        if (vm is null)
        {
            return error!;
        }

        if (SnapshotNameRules.Check(name) is { } problem)
        {
            return new OperationResult(OperationStatus.Invalid, $"name: {problem}");
        }

        var task = await tasks.StartAsync("vm.snapshot-revert", "vm", vm.Id.ToString(), vm.Name, UserName(user), $"to snapshot '{name}'");
        var reply = await keys.SendWithKeysAsync(vm.Id, vm.HostId, vm.Host!.Name, agent => agent.RevertSnapshot(vmId, name, task.Id), Timeout);
        return await FinishAsync(task.Id, vm.Id, reply, $"VM '{vm.Name}' reverted to snapshot '{name}'.");
    }

    public async Task<OperationResult> DeleteAsync(Guid vmId, string name, ClaimsPrincipal user)
    {
        var (vm, error) = await FindAsync(vmId, user, Privileges.VmSnapshot);
        if (vm is null)
        {
            return error!;
        }

        if (SnapshotNameRules.Check(name) is { } problem)
        {
            return new OperationResult(OperationStatus.Invalid, $"name: {problem}");
        }

        var task = await tasks.StartAsync("vm.snapshot-delete", "vm", vm.Id.ToString(), vm.Name, UserName(user), $"snapshot '{name}'");
        var reply = await keys.SendWithKeysAsync(vm.Id, vm.HostId, vm.Host!.Name, agent => agent.DeleteSnapshot(vmId, name, task.Id), Timeout);
        return await FinishAsync(task.Id, vm.Id, reply, $"Snapshot '{name}' of VM '{vm.Name}' deleted.");
    }

    private async Task<bool> HasEncryptedDiskAsync(Guid vmId)
    {
        await using var db = await contexts.CreateDbContextAsync();
        return await db.Disks.AnyAsync(d => d.VmId == vmId && d.Encrypted);
    }

    private async Task<(VmRecord? Vm, OperationResult? Error)> FindAsync(Guid vmId, ClaimsPrincipal user, string privilege)
    {
        if (!await permissions.HasOnVmAsync(user, vmId, privilege))
        {
            return (null, new OperationResult(OperationStatus.Forbidden, $"You lack {privilege} on VM {vmId}."));
        }

        await using var db = await contexts.CreateDbContextAsync();
        var vm = await db.Vms.AsNoTracking().Include(v => v.Host).SingleOrDefaultAsync(v => v.Id == vmId && !v.PendingDeletion);
        return vm is null ? (null, new OperationResult(OperationStatus.NotFound, $"No VM with id {vmId}.")) : (vm, null);
    }

    private async Task<OperationResult> FinishAsync(Guid taskId, Guid vmId, AgentReply reply, string message)
    {
        if (!reply.Ok)
        {
            await tasks.FailAsync(taskId, reply.Error!);
            notifier.NotifyVmChanged(vmId);
            return FromReply(reply, taskId);
        }

        if (reply.Vm?.Reason is { } reason)
        {
            await tasks.AppendAsync(taskId, reason);
        }

        await tasks.CompleteAsync(taskId);
        notifier.NotifyVmChanged(vmId);
        return OperationResult.Done(message, taskId, vmId);
    }

    private static string UserName(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";

    private static OperationResult FromReply(AgentReply reply, Guid? taskId) => new(reply.ErrorKind switch
    {
        AgentErrorKind.Invalid => OperationStatus.Invalid,
        AgentErrorKind.NotFound => OperationStatus.NotFound,
        AgentErrorKind.Conflict => OperationStatus.Conflict,
        _ => OperationStatus.HostFailed,
    }, reply.Error ?? "The host reported a failure.", taskId);
}
