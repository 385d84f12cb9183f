using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Shared.Agents;
using WebVirt.Web.Agents;
using WebVirt.Web.Encryption;
using WebVirt.Web.Inventory;
using WebVirt.Web.Tasks;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Operations;

/// <summary>
/// Runs a <see cref="VmCommand"/>: checks the user, takes the command's slot, loads the VM with its host, disks and
/// NICs, checks the request, starts the task, hands the host the disk keys it needs and sends the command, writes a
/// success into the inventory, then lets <see cref="OperationFinisher"/> reconcile the reply's report, finish the task
/// and tell open pages. Every agent-backed VM operation passes here, so a step cannot drift between copies.
/// </summary>
internal sealed class VmCommandPipeline(
    IDbContextFactory<WebVirtDbContext> contexts,
    VmCommandAccess access,
    TaskLog tasks,
    AgentGateway agents,
    DiskKeyVault keys,
    OperationFinisher finisher)
{
    public Task<OperationResult> RunAsync(Guid vmId, VmCommand command, ClaimsPrincipal user) =>
        RunAsync(vmId, command, Actor.NameOf(user), user);

    /// <summary>Without a permission check: for the panel's own work (the backup scheduler checks its owner first).</summary>
    public Task<OperationResult> RunAsync(Guid vmId, VmCommand command, string userName) =>
        RunAsync(vmId, command, userName, null);

    private async Task<OperationResult> RunAsync(Guid vmId, VmCommand command, string userName, ClaimsPrincipal? user)
    {
        if (user is not null && !command.Access.LoadsFirst && await access.RefuseAsync(user, vmId, null, command) is { } refused)
        {
            return refused;
        }

        var (slot, busy) = command.Slot?.Invoke() ?? (null, null);
        if (busy is not null)
        {
            return busy;
        }

        using (slot)
        {
            await using var db = await contexts.CreateDbContextAsync();
            var vm = command.ChangesRecord ? await VmQueries.LoadAsync(db, vmId) : await VmQueries.ReadAsync(db, vmId);
            if (vm is null)
            {
                return new OperationResult(OperationStatus.NotFound, $"No VM with id {vmId}.");
            }

            if (user is not null && command.Access.LoadsFirst && await access.RefuseAsync(user, vmId, vm, command) is { } refusedLoaded)
            {
                return refusedLoaded;
            }

            if (command.Check is { } check && await check(vm) is { } answered)
            {
                return answered;
            }

            var task = await tasks.StartAsync(command.TaskKind, "vm", vm.Id.ToString(), vm.Name, userName, command.TaskDetails?.Invoke(vm));
            slot?.TaskStarted(task.Id);
            var run = new VmCommandRun(db, vm, task.Id);
            var ended = await ExecuteAsync(run, command);

            // Freed before the end is announced, so pages told of it no longer show the command running.
            slot?.Dispose();
            return await FinishAsync(run, command, ended);
        }
    }

    /// <summary>Prepares, sends and applies; the result that ends the task early (a failed preparation, a save conflict), else null.</summary>
    private async Task<OperationResult?> ExecuteAsync(VmCommandRun run, VmCommand command)
    {
        if (command.Prepare is { } prepare && await prepare(run) is { } stopped)
        {
            return stopped;
        }

        run.Reply = await SendAsync(run.Vm, command, run.TaskId);
        return run.Reply.Ok && command.Apply is { } apply ? await ApplyAsync(run, apply, command) : null;
    }

    private async Task<AgentReply> SendAsync(VmRecord vm, VmCommand command, Guid taskId)
    {
        if (command.Send(taskId) is not { } send)
        {
            return AgentReply.Success();
        }

        var provided = await command.Keys.ProvideAsync(keys, vm);
        return provided.Ok ? await agents.SendAsync(vm.HostId, vm.Host!.Name, send, command.Timeout?.Invoke(vm)) : provided;
    }

    /// <summary>Applies and saves a success; the conflict when someone else changed the VM while the host worked.</summary>
    private static async Task<OperationResult?> ApplyAsync(VmCommandRun run, Func<VmCommandRun, Task> apply, VmCommand command)
    {
        await apply(run);
        try
        {
            await run.Db.SaveChangesAsync();
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            return new OperationResult(OperationStatus.Conflict, command.SaveConflict(run.Vm));
        }
    }

    private async Task<OperationResult> FinishAsync(VmCommandRun run, VmCommand command, OperationResult? ended)
    {
        if (ended is not null)
        {
            return await finisher.FinishAsync(run.TaskId, run.Vm.Id, ended);
        }

        if (!run.Reply.Ok)
        {
            return await finisher.FailAsync(run.TaskId, run.Vm.Id, run.Reply);
        }

        if (command.Outcome is { } outcome)
        {
            return await finisher.FinishWrittenAsync(run.TaskId, run.ResultVmId, await outcome(run) ?? OperationResult.Done(command.Done(run.Vm)));
        }

        return command.ReconcilesReport
            ? await finisher.FinishAsync(run.TaskId, run.ResultVmId, run.Reply, command.Done(run.Vm))
            : await finisher.FinishAsync(run.TaskId, run.ResultVmId, OperationResult.Done(command.Done(run.Vm)));
    }
}
