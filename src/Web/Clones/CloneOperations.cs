using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Rules.Definitions;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Clones;
using WebVirt.Shared.Vms;
using WebVirt.Web.Agents;
using WebVirt.Web.Disks;
using WebVirt.Web.Inventory;
using WebVirt.Web.Operations;
using WebVirt.Web.Permissions;
using WebVirt.Web.Tasks;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Clones;

/// <summary>
/// Converting VMs to templates and cloning them. A clone gets a new UUID, new MACs and its own disks in the
/// host's image pool (under a folder named after it); the panel records it once the agent has made it.
/// </summary>
internal sealed class CloneOperations(
    IDbContextFactory<WebVirtDbContext> contexts,
    AgentGateway agents,
    TaskLog tasks,
    PermissionService permissions,
    WebVirt.Web.Encryption.DiskKeyVault keys,
    OperationFinisher finisher)
{
    /// <summary>A full clone copies every byte of the disks.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromHours(2);

    public async Task<OperationResult> ConvertToTemplateAsync(Guid vmId, ClaimsPrincipal user)
    {
        if (!await permissions.HasOnVmAsync(user, vmId, Privileges.VmConfig))
        {
            return Forbidden(Privileges.VmConfig, vmId);
        }

        await using var db = await contexts.CreateDbContextAsync();
        var vm = await VmQueries.LoadAsync(db, vmId);
        if (vm is null)
        {
            return new OperationResult(OperationStatus.NotFound, $"No VM with id {vmId}.");
        }

        if (vm.IsTemplate)
        {
            return new OperationResult(OperationStatus.Conflict, $"VM '{vm.Name}' is already a template.");
        }

        var task = await tasks.StartAsync("vm.template", "vm", vm.Id.ToString(), vm.Name, Actor.NameOf(user));
        var reply = await agents.SendAsync(vm.HostId, vm.Host!.Name, agent => agent.ConvertToTemplate(vmId));
        if (!reply.Ok)
        {
            return await finisher.FailAsync(task.Id, vm.Id, reply);
        }

        vm.IsTemplate = true;
        vm.Autostart = false;
        vm.DefinitionVersion++;
        await db.SaveChangesAsync();
        return await finisher.FinishAsync(task.Id, vm.Id, OperationResult.Done($"VM '{vm.Name}' is now a template."));
    }

    public async Task<OperationResult> CloneAsync(Guid sourceId, CloneVmRequest request, ClaimsPrincipal user)
    {
        if (!await permissions.HasOnVmAsync(user, sourceId, Privileges.VmClone))
        {
            return Forbidden(Privileges.VmClone, sourceId);
        }

        if (!await permissions.HasAsync(user, AclPaths.Root, Privileges.VmAllocate))
        {
            return new OperationResult(OperationStatus.Forbidden, $"You lack {Privileges.VmAllocate}: a clone is a new VM.");
        }

        await using var db = await contexts.CreateDbContextAsync();
        var source = await VmQueries.ReadAsync(db, sourceId);
        if (source is null)
        {
            return new OperationResult(OperationStatus.NotFound, $"No VM with id {sourceId}.");
        }

        if (request.Linked && !source.IsTemplate)
        {
            return new OperationResult(OperationStatus.Invalid, $"linked: a linked clone needs a template; convert VM '{source.Name}' to a template first, or make a full clone");
        }

        var target = CloneDefinition(VmRecordMapper.ToDefinition(source), request, source.Host!.ImagePool ?? "");
        var errors = DefinitionValidator.Validate(target).Select(e => e.ToString()).ToList();
        if (errors.Count > 0)
        {
            return new OperationResult(OperationStatus.Invalid, string.Join("; ", errors));
        }

        if (await db.Vms.AnyAsync(v => v.HostId == source.HostId && v.Name == target.Name))
        {
            return new OperationResult(OperationStatus.Invalid, $"name: a VM named '{target.Name}' already exists on host '{source.Host.Name}'");
        }

        var task = await tasks.StartAsync("vm.clone", "vm", source.Id.ToString(), source.Name, Actor.NameOf(user),
            $"{(request.Linked ? "linked" : "full")} clone '{target.Name}' ({target.Uuid})");
        var reply = await keys.SendWithKeysAsync(source.Id, source.HostId, source.Host.Name, agent => agent.CloneVm(new CloneRequest(sourceId, target, request.Linked, task.Id)), Timeout);
        if (!reply.Ok)
        {
            return await finisher.FailAsync(task.Id, source.Id, reply);
        }

        var record = new VmRecord { Id = target.Uuid, HostId = source.HostId, Name = target.Name, CreatedAt = DateTimeOffset.UtcNow };
        VmRecordMapper.ApplyDefinition(record, target);
        WebVirt.Web.Encryption.DiskKeyVault.CopyKeys(source.Disks, record.Disks);
        record.Description = request.Description ?? source.Description;
        record.DesiredState = VmPowerState.Stopped;
        record.ActualState = VmPowerState.Stopped;
        record.QemuStatus = "stopped";
        foreach (var disk in record.Disks)
        {
            disk.SizeBytes = source.Disks.FirstOrDefault(d => d.DiskId == disk.DiskId)?.SizeBytes;
        }

        db.Vms.Add(record);
        await db.SaveChangesAsync();
        await tasks.AppendAsync(task.Id, $"Created VM '{target.Name}' ({target.Uuid}).");
        return await finisher.FinishAsync(task.Id, record.Id, OperationResult.Done($"VM '{source.Name}' cloned to '{target.Name}'."));
    }

    /// <summary>
    /// The source's definition with a new UUID, name and MACs, its disks new images in the image pool named after the
    /// clone's UUID and the disk's id (qcow2 for linked clones): the clone's name never becomes a file name.
    /// </summary>
    internal static VmDefinition CloneDefinition(VmDefinition source, CloneVmRequest request, string imagePool)
    {
        var uuid = Guid.NewGuid();
        return source with
        {
            Uuid = uuid,
            Name = request.Name ?? "",
            IsTemplate = false,
            Autostart = false,
            Disks = [.. source.Disks.Select(d =>
            {
                var format = request.Linked ? DiskFormat.Qcow2 : d.Format;
                return d with { Path = DiskNames.PathIn(imagePool, DiskNames.ImageFileName(uuid, d.Id, format)), Format = format };
            })],
            Nics = [.. source.Nics.Select(n => n with { MacAddress = VmDefinitionFactory.NewMacAddress() })],
        };
    }

    private static OperationResult Forbidden(string privilege, Guid vmId) =>
        new(OperationStatus.Forbidden, $"You lack {privilege} on VM {vmId}.");
}
