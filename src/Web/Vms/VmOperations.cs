using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Rules.Definitions;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Vms;
using WebVirt.Web.Agents;
using WebVirt.Web.Inventory;
using WebVirt.Web.Operations;
using WebVirt.Web.Permissions;
using WebVirt.Web.Tasks;

namespace WebVirt.Web.Vms;

/// <summary>
/// Every VM operation of the panel, shared by the API and the UI: checks the request, records a task and
/// an audit row, has the host's agent carry it out, and stores the outcome. Bad input changes nothing.
/// Each operation checks the user's privilege first: a VM the user may not see is "not found" (its existence
/// is not revealed); one the user sees but may not act on is <see cref="OperationStatus.Forbidden"/>.
/// </summary>
internal sealed partial class VmOperations(
    IDbContextFactory<WebVirtDbContext> contexts,
    AgentGateway agents,
    TaskLog tasks,
    InventoryNotifier notifier,
    PermissionService permissions,
    WebVirt.Web.Encryption.DiskKeyVault keys,
    VmStateWriter states,
    OperationFinisher finisher,
    VmCommandPipeline pipeline,
    WebVirt.Web.Storage.PoolAccess poolAccess)
{
    public async Task<OperationResult> CreateAsync(CreateVmRequest request, ClaimsPrincipal user)
    {
        var userName = Actor.NameOf(user);
        await using var db = await contexts.CreateDbContextAsync();
        var host = await FindHostAsync(db, request.HostId);
        if (host is null)
        {
            return new OperationResult(OperationStatus.Invalid, request.HostId is null
                ? "hostId: required when the panel manages more than one host"
                : $"hostId: no host with id {request.HostId}");
        }

        if (!await permissions.HasAsync(user, AclPaths.Host(host.Id), Privileges.VmAllocate))
        {
            return new OperationResult(OperationStatus.Forbidden, $"You may not create VMs on host '{host.Name}' ({Privileges.VmAllocate} on {AclPaths.Host(host.Id)}).");
        }

        if (host.ImagePool is null)
        {
            return new OperationResult(OperationStatus.Conflict, $"Host '{host.Name}' has not registered yet: its agent has never connected.");
        }

        var (definition, newDisks, errors) = VmDefinitionFactory.Create(request, host.ImagePool, host.MemoryBytes, host.Name);
        if (definition is null)
        {
            return new OperationResult(OperationStatus.Invalid, string.Join("; ", errors));
        }

        if (await db.Vms.AnyAsync(v => v.HostId == host.Id && v.Name == definition.Name))
        {
            return new OperationResult(OperationStatus.Invalid, $"name: a VM named '{definition.Name}' already exists on host '{host.Name}'");
        }

        // New disks take space in the host's image pool; a boot ISO is read from its pool (Proxmox: AllocateSpace, Audit).
        if (newDisks.Count > 0 && await poolAccess.RefuseInFolderAsync(host.Id, host.ImagePool, Privileges.DatastoreAllocateSpace, "create this VM's disks", user) is { } noSpace)
        {
            return noSpace;
        }

        if (definition.Cdrom?.IsoPath is { } iso && await poolAccess.RefuseForFileAsync(host.Id, iso, Privileges.DatastoreAudit, $"boot this VM from '{Path.GetFileName(iso)}'", user) is { } noIso)
        {
            return noIso;
        }

        var task = await tasks.StartAsync("vm.create", "vm", definition.Uuid.ToString(), definition.Name, userName, $"on host {host.Name}");
        var diskKeys = definition.Disks.Where(d => d.Encrypted).ToDictionary(d => d.Id, _ => WebVirt.Web.Encryption.DiskKeyVault.NewKey());
        var reply = await keys.ProvideAsync(definition.Uuid, host.Id, host.Name, diskKeys);
        if (reply.Ok)
        {
            reply = await agents.SendAsync(host.Id, host.Name, agent => agent.DefineVm(definition, newDisks));
        }

        if (!reply.Ok)
        {
            await tasks.FailAsync(task.Id, reply.Error!);
            return AgentReplies.ToResult(reply, task.Id);
        }

        var record = new VmRecord { Id = definition.Uuid, HostId = host.Id, Name = definition.Name, CreatedAt = DateTimeOffset.UtcNow };
        VmRecordMapper.ApplyDefinition(record, definition);
        record.Description = request.Description;
        record.DesiredState = VmPowerState.Stopped;
        record.ActualState = VmPowerState.Stopped;
        record.QemuStatus = "stopped";
        foreach (var disk in record.Disks)
        {
            disk.SizeBytes = newDisks.FirstOrDefault(d => d.DiskId == disk.DiskId)?.SizeBytes;
            disk.ProtectedKey = diskKeys.TryGetValue(disk.DiskId, out var key) ? keys.Protect(key) : null;
        }

        db.Vms.Add(record);
        await db.SaveChangesAsync();
        return await finisher.FinishAsync(task.Id, record.Id, OperationResult.Done($"VM '{definition.Name}' created on host '{host.Name}'."));
    }

    public Task<OperationResult> PowerAsync(Guid vmId, PowerAction action, int? shutdownTimeoutSeconds, ClaimsPrincipal user)
    {
        var verb = action.ToString().ToLowerInvariant();

        // Worked out by the check: the request's, else the VM's own.
        var timeout = 0;
        return pipeline.RunAsync(vmId, new VmCommand(
            Privileges.VmPowerMgmt,
            $"vm.{verb}",
            _ => agent => action switch
            {
                PowerAction.Start => agent.StartVm(vmId),
                PowerAction.Shutdown => agent.ShutdownVm(vmId, timeout),
                PowerAction.Stop => agent.StopVm(vmId),
                PowerAction.Reset => agent.ResetVm(vmId),
                PowerAction.Pause => agent.PauseVm(vmId),
                _ => agent.ResumeVm(vmId),
            },
            vm => $"{action} of VM '{vm.Name}' done.")
        {
            Access = new VmAccess
            {
                LoadsFirst = true,
                Forbidden = vm => $"You may see VM '{vm!.Name}' but not {verb} it: that needs {Privileges.VmPowerMgmt}.",
            },

            // An agent holds disk keys in memory only: hand them over again before every start.
            Keys = action == PowerAction.Start ? DiskKeyHandover.OfVm : DiskKeyHandover.None,
            Check = vm =>
            {
                timeout = shutdownTimeoutSeconds ?? vm.ShutdownTimeoutSeconds;
                return Task.FromResult(timeout is < 1 or > DefinitionValidator.MaxShutdownTimeoutSeconds
                    ? new OperationResult(OperationStatus.Invalid, $"timeout: must be between 1 and {DefinitionValidator.MaxShutdownTimeoutSeconds} seconds")
                    : null);
            },
            TaskDetails = _ => action == PowerAction.Shutdown ? $"timeout {timeout} s" : null,
            Timeout = _ => action == PowerAction.Shutdown ? TimeSpan.FromSeconds(timeout + 30) : null,
            Prepare = action == PowerAction.Start ? ApplyPendingBeforeStartAsync : null,
            Outcome = run => PowerOutcomeAsync(run, action),
        }, user);
    }

    /// <summary>A stopped VM starts with its pending hardware changes; when its host refuses them, it does not start.</summary>
    private async Task<OperationResult?> ApplyPendingBeforeStartAsync(VmCommandRun run) =>
        IsStopped(run.Vm) && await ApplyPendingAsync(run.Db, run.Vm, run.TaskId) is { } pendingError
            ? new OperationResult(OperationStatus.Conflict, pendingError)
            : null;

    /// <summary>The state the user asked for with the reply's report; a VM that stopped gets its pending changes.</summary>
    private async Task<OperationResult?> PowerOutcomeAsync(VmCommandRun run, PowerAction action)
    {
        var vm = run.Vm;
        VmPowerState? desired = action switch
        {
            PowerAction.Start => VmPowerState.Running,
            PowerAction.Shutdown or PowerAction.Stop => VmPowerState.Stopped,
            _ => null,
        };

        // Through the ordered writer: the host may have pushed a newer state (a crash right after the start) before this reply came.
        if (await states.ApplyOutcomeAsync(vm.Id, desired, run.Reply.Vm) is not { } state)
        {
            return new OperationResult(OperationStatus.NotFound, $"VM '{vm.Name}' was deleted by another request meanwhile.");
        }

        if (run.Reply.Vm?.Reason is { } reason)
        {
            await tasks.AppendAsync(run.TaskId, reason);
        }

        if (action is PowerAction.Shutdown or PowerAction.Stop && state.Actual is VmPowerState.Stopped or VmPowerState.Crashed
            && await ApplyPendingAsync(run.Db, vm, run.TaskId) is { } notApplied)
        {
            // The VM did stop; the changes stay pending and are tried again at the next start.
            await tasks.AppendAsync(run.TaskId, notApplied);
        }

        return null;
    }

    public async Task<OperationResult> DeleteAsync(Guid vmId, bool removeDisks, ClaimsPrincipal user)
    {
        var userName = Actor.NameOf(user);
        await using var db = await contexts.CreateDbContextAsync();
        var vm = await VmQueries.LoadAsync(db, vmId);
        if (vm is null)
        {
            return new OperationResult(OperationStatus.NotFound, $"No VM with id {vmId}.");
        }

        if (await RefuseAsync(vm, user, Privileges.VmAllocate, "delete it") is { } refused)
        {
            return refused;
        }

        var task = await tasks.StartAsync("vm.delete", "vm", vm.Id.ToString(), vm.Name, userName, removeDisks ? "with disks" : "keeping disks");
        if (!agents.IsConnected(vm.HostId))
        {
            // The host is away: remember, and finish when its agent reconnects and confirms.
            vm.PendingDeletion = true;
            vm.PendingDeletionRemovesDisks = removeDisks;
            await db.SaveChangesAsync();
            await tasks.AppendAsync(task.Id, $"Host '{vm.Host!.Name}' is offline: the VM will be removed there when it reconnects.");
            notifier.NotifyVmChanged(vm.Id);
            return new OperationResult(OperationStatus.Accepted, $"VM '{vm.Name}' will be deleted when host '{vm.Host.Name}' reconnects.", task.Id, vm.Id);
        }

        var reply = await agents.SendAsync(vm.HostId, vm.Host!.Name, agent => agent.UndefineVm(vmId, removeDisks));
        if (!reply.Ok && reply.ErrorKind != AgentErrorKind.NotFound)
        {
            return await finisher.FailAsync(task.Id, vm.Id, reply);
        }

        db.Vms.Remove(vm);
        db.AclEntries.RemoveRange(await db.AclEntries.Where(a => a.Path == AclPaths.Vm(vmId)).ToListAsync());
        if (!await TrySaveAsync(db))
        {
            return await DeletedMeanwhileAsync(vm, task.Id);
        }

        await tasks.CompleteAsync(task.Id);
        notifier.NotifyVmRemoved(vmId);
        return OperationResult.Done($"VM '{vm.Name}' deleted.", task.Id, vmId);
    }

    // A concurrent request (another delete) removed the row while this one waited for the host.
    private static async Task<bool> TrySaveAsync(WebVirtDbContext db)
    {
        try
        {
            await db.SaveChangesAsync();
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }

    private async Task<OperationResult> DeletedMeanwhileAsync(VmRecord vm, Guid taskId)
    {
        var message = $"VM '{vm.Name}' was deleted by another request meanwhile.";
        await tasks.FailAsync(taskId, message);
        return new OperationResult(OperationStatus.NotFound, message, taskId);
    }

    /// <summary>Finishes a deletion recorded while the host was offline, now that its agent is back.</summary>
    public async Task<OperationResult> CompletePendingDeletionAsync(Guid vmId, bool removeDisks)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var vm = await db.Vms.Include(v => v.Host).SingleOrDefaultAsync(v => v.Id == vmId && v.PendingDeletion);
        if (vm is null)
        {
            return new OperationResult(OperationStatus.NotFound, $"No pending deletion of VM {vmId}.");
        }

        var reply = await agents.SendAsync(vm.HostId, vm.Host!.Name, agent => agent.UndefineVm(vmId, removeDisks));
        if (!reply.Ok && reply.ErrorKind != AgentErrorKind.NotFound)
        {
            vm.StateMismatch = $"Deletion is pending, but the host refused it: {reply.Error}";
            await db.SaveChangesAsync();
            notifier.NotifyVmChanged(vmId);
            return AgentReplies.ToResult(reply, null);
        }

        db.Vms.Remove(vm);
        db.AclEntries.RemoveRange(await db.AclEntries.Where(a => a.Path == AclPaths.Vm(vmId)).ToListAsync());
        await db.SaveChangesAsync();
        notifier.NotifyVmRemoved(vmId);
        return OperationResult.Done($"VM '{vm.Name}' deleted on its host.", null, vmId);
    }

    /// <summary>Null when <paramref name="user"/> may do it; else "not found" for a VM they cannot see, "forbidden" for one they can.</summary>
    private async Task<OperationResult?> RefuseAsync(VmRecord vm, ClaimsPrincipal user, string privilege, string what)
    {
        if (!await permissions.HasOnVmAsync(user, vm.Id, Privileges.VmAudit))
        {
            return new OperationResult(OperationStatus.NotFound, $"No VM with id {vm.Id}.");
        }

        return await permissions.HasOnVmAsync(user, vm.Id, privilege)
            ? null
            : new OperationResult(OperationStatus.Forbidden, $"You may see VM '{vm.Name}' but not {what}: that needs {privilege}.");
    }

    private static async Task<HostRecord?> FindHostAsync(WebVirtDbContext db, Guid? hostId)
    {
        if (hostId is { } id)
        {
            return await db.Hosts.SingleOrDefaultAsync(h => h.Id == id && h.RevokedAt == null);
        }

        var hosts = await db.Hosts.Where(h => h.RevokedAt == null).OrderBy(h => h.Name).Take(2).ToListAsync();
        return hosts.Count == 1 ? hosts[0] : null;
    }
}
