using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Rules.Definitions;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Clones;
using WebVirt.Shared.Vms;
using WebVirt.Web.Disks;
using WebVirt.Web.Inventory;
using WebVirt.Web.Operations;
using WebVirt.Web.Permissions;
using WebVirt.Web.Storage;
using WebVirt.Web.Tasks;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Clones;

/// <summary>
/// Converting VMs to templates and cloning them. A clone gets a new UUID, new MACs and its own disks in the
/// host's image pool (under a folder named after it); the panel records it once the agent has made it.
/// </summary>
internal sealed class CloneOperations(
    IDbContextFactory<WebVirtDbContext> contexts,
    TaskLog tasks,
    VmCommandPipeline pipeline,
    PoolAccess poolAccess)
{
    /// <summary>A full clone copies every byte of the disks.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromHours(2);

    public Task<OperationResult> ConvertToTemplateAsync(Guid vmId, ClaimsPrincipal user) =>
        pipeline.RunAsync(vmId, new VmCommand(
            Privileges.VmConfig,
            "vm.template",
            _ => agent => agent.ConvertToTemplate(vmId),
            vm => $"VM '{vm.Name}' is now a template.")
        {
            Keys = DiskKeyHandover.None,
            Check = vm => Task.FromResult(vm.IsTemplate ? new OperationResult(OperationStatus.Conflict, $"VM '{vm.Name}' is already a template.") : null),
            Apply = run =>
            {
                run.Vm.IsTemplate = true;
                run.Vm.Autostart = false;
                run.Vm.DefinitionVersion++;
                return Task.CompletedTask;
            },
            ReconcilesReport = false,
        }, user);

    public Task<OperationResult> CloneAsync(Guid sourceId, CloneVmRequest request, ClaimsPrincipal user)
    {
        // Worked out by the check, from the loaded source.
        VmDefinition target = null!;
        return pipeline.RunAsync(sourceId, new VmCommand(
            Privileges.VmClone,
            "vm.clone",
            taskId => agent => agent.CloneVm(new CloneRequest(sourceId, target, request.Linked, taskId)),
            source => $"VM '{source.Name}' cloned to '{target.Name}'.")
        {
            Access = new VmAccess { OnRoot = [(Privileges.VmAllocate, $"You lack {Privileges.VmAllocate}: a clone is a new VM.")] },
            TaskDetails = _ => $"{(request.Linked ? "linked" : "full")} clone '{target.Name}' ({target.Uuid})",
            Timeout = _ => Timeout,
            Check = async source =>
            {
                if (request.Linked && !source.IsTemplate)
                {
                    return new OperationResult(OperationStatus.Invalid, $"linked: a linked clone needs a template; convert VM '{source.Name}' to a template first, or make a full clone");
                }

                target = CloneDefinition(VmRecordMapper.ToDefinition(source), request, source.Host!.ImagePool ?? "");
                return await CheckNewVmAsync(contexts, target, source)
                    ?? await RefuseDiskSpaceAsync(poolAccess, source.HostId, source.Host!.ImagePool, target, "clone this VM's disks", user);
            },
            Apply = async run =>
            {
                var source = run.Vm;
                var record = NewVmRecord(target, source);
                record.Description = request.Description ?? source.Description;
                foreach (var disk in record.Disks)
                {
                    disk.SizeBytes = source.Disks.FirstOrDefault(d => d.DiskId == disk.DiskId)?.SizeBytes;
                }

                run.Db.Vms.Add(record);
                run.ResultVmId = record.Id;
                await tasks.AppendAsync(run.TaskId, $"Created VM '{target.Name}' ({target.Uuid}).");
            },
            ReconcilesReport = false,
        }, user);
    }

    /// <summary>Why a VM with <paramref name="target"/> cannot be made next to <paramref name="source"/>; null when it can.</summary>
    internal static async Task<OperationResult?> CheckNewVmAsync(IDbContextFactory<WebVirtDbContext> contexts, VmDefinition target, VmRecord source)
    {
        var errors = DefinitionValidator.Validate(target).Select(e => e.ToString()).ToList();
        if (errors.Count > 0)
        {
            return new OperationResult(OperationStatus.Invalid, string.Join("; ", errors));
        }

        await using var db = await contexts.CreateDbContextAsync();
        return await db.Vms.AnyAsync(v => v.HostId == source.HostId && v.Name == target.Name)
            ? new OperationResult(OperationStatus.Invalid, $"name: a VM named '{target.Name}' already exists on host '{source.Host!.Name}'")
            : null;
    }

    /// <summary>A new VM's disks take space in the host's image pool: that needs Datastore.AllocateSpace there (none for a VM without disks).</summary>
    internal static async Task<OperationResult?> RefuseDiskSpaceAsync(PoolAccess poolAccess, Guid hostId, string? imagePool, VmDefinition target, string what, ClaimsPrincipal user) =>
        target.Disks.Count == 0
            ? null
            : await poolAccess.RefuseInFolderAsync(hostId, imagePool ?? "", Privileges.DatastoreAllocateSpace, what, user);

    /// <summary>The record of a stopped VM made from <paramref name="source"/>'s disks, which keeps their keys.</summary>
    internal static VmRecord NewVmRecord(VmDefinition target, VmRecord source)
    {
        var record = new VmRecord { Id = target.Uuid, HostId = source.HostId, Name = target.Name, CreatedAt = DateTimeOffset.UtcNow };
        VmRecordMapper.ApplyDefinition(record, target);
        WebVirt.Web.Encryption.DiskKeyVault.CopyKeys(source.Disks, record.Disks);
        record.DesiredState = VmPowerState.Stopped;
        record.ActualState = VmPowerState.Stopped;
        record.QemuStatus = "stopped";
        return record;
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
}
