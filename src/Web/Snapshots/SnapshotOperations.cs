using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Rules.Snapshots;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Snapshots;
using WebVirt.Web.Agents;
using WebVirt.Web.Inventory;
using WebVirt.Web.Operations;
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
    PermissionService permissions,
    VmCommandPipeline pipeline)
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
            : (AgentReplies.ToResult(reply.Result, null), null);
    }

    public Task<OperationResult> TakeAsync(Guid vmId, TakeSnapshotRequest request, ClaimsPrincipal user) =>
        pipeline.RunAsync(vmId, new VmCommand(
            Privileges.VmSnapshot,
            "vm.snapshot",
            taskId => agent => agent.TakeSnapshot(new SnapshotRequest(vmId, request.Name!, request.Description, request.WithMemory, taskId)),
            vm => $"Snapshot '{request.Name}' of VM '{vm.Name}' taken.")
        {
            TaskDetails = _ => $"snapshot '{request.Name}' {(request.WithMemory ? "with" : "without")} memory",
            Timeout = _ => Timeout,
            Check = vm => Task.FromResult(CheckTake(vm, request)),
        }, user);

    public Task<OperationResult> RevertAsync(Guid vmId, string name, ClaimsPrincipal user) =>
        pipeline.RunAsync(vmId, new VmCommand(
            Privileges.VmSnapshot,
            "vm.snapshot-revert",
            taskId => agent => agent.RevertSnapshot(vmId, name, taskId),
            vm => $"VM '{vm.Name}' reverted to snapshot '{name}'.")
        {
            TaskDetails = _ => $"to snapshot '{name}'",
            Timeout = _ => Timeout,
            Check = _ => Task.FromResult(CheckName(name)),
        }, user);

    public Task<OperationResult> DeleteAsync(Guid vmId, string name, ClaimsPrincipal user) =>
        pipeline.RunAsync(vmId, new VmCommand(
            Privileges.VmSnapshot,
            "vm.snapshot-delete",
            taskId => agent => agent.DeleteSnapshot(vmId, name, taskId),
            vm => $"Snapshot '{name}' of VM '{vm.Name}' deleted.")
        {
            TaskDetails = _ => $"snapshot '{name}'",
            Timeout = _ => Timeout,
            Check = _ => Task.FromResult(CheckName(name)),
        }, user);

    private static OperationResult? CheckName(string? name) =>
        SnapshotNameRules.Check(name) is { } problem ? new OperationResult(OperationStatus.Invalid, $"name: {problem}") : null;

    private static OperationResult? CheckTake(VmRecord vm, TakeSnapshotRequest request)
    {
        if (CheckName(request.Name) is { } invalid)
        {
            return invalid;
        }

        if (SnapshotNameRules.CheckDescription(request.Description) is { } descriptionProblem)
        {
            return new OperationResult(OperationStatus.Invalid, $"description: {descriptionProblem}");
        }

        return request.WithMemory && vm.Disks.Any(d => d.Encrypted)
            ? new OperationResult(OperationStatus.Invalid, $"withMemory: {SnapshotMemoryRules.EncryptedDisksRefusal}")
            : null;
    }

    private async Task<(VmRecord? Vm, OperationResult? Error)> FindAsync(Guid vmId, ClaimsPrincipal user, string privilege)
    {
        // A VM the user may not audit is "not found", as for the pipeline's commands (VmAccess.HiddenWithoutAudit).
        if (!await permissions.HasOnVmAsync(user, vmId, Privileges.VmAudit))
        {
            return (null, new OperationResult(OperationStatus.NotFound, $"No VM with id {vmId}."));
        }

        if (!await permissions.HasOnVmAsync(user, vmId, privilege))
        {
            return (null, new OperationResult(OperationStatus.Forbidden, $"You lack {privilege} on VM {vmId}."));
        }

        await using var db = await contexts.CreateDbContextAsync();
        var vm = await VmQueries.ReadAsync(db, vmId);
        return vm is null ? (null, new OperationResult(OperationStatus.NotFound, $"No VM with id {vmId}.")) : (vm, null);
    }
}
