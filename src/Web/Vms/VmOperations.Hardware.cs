using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebVirt.Rules.Definitions;
using WebVirt.Shared.Vms;
using WebVirt.Web.Inventory;
using WebVirt.Web.Operations;
using WebVirt.Web.Permissions;

namespace WebVirt.Web.Vms;

internal sealed partial class VmOperations
{
    /// <summary>
    /// Changes CPU, memory, NICs, CD-ROM, boot order and disks' launch-time options (VM.Config). A stopped VM's host gets the new definition at
    /// once; a running VM's changes are kept as <see cref="VmRecord.PendingDefinition"/> and applied when it is
    /// next started (or stopped) through the panel, because QEMU fixes its hardware at launch.
    /// </summary>
    public Task<OperationResult> UpdateHardwareAsync(Guid vmId, UpdateVmHardwareRequest request, ClaimsPrincipal user)
    {
        // Worked out by the check, from the loaded VM.
        VmDefinition current = null!, wanted = null!;
        var change = HardwareChange.Nothing;
        return pipeline.RunAsync(vmId, new VmCommand(
            Privileges.VmConfig,
            "vm.hardware",
            _ => change == HardwareChange.Define ? agent => agent.DefineVm(wanted, []) : null,
            vm => change switch
            {
                HardwareChange.Define => $"Hardware of VM '{vm.Name}' changed.",
                HardwareChange.Pending => $"VM '{vm.Name}' is running: the hardware changes apply at its next start.",
                HardwareChange.Withdraw => $"VM '{vm.Name}': pending changes withdrawn.",
                _ => $"VM '{vm.Name}': nothing to change.",
            })
        {
            Access = new VmAccess { Forbidden = _ => $"You may not change the hardware of VM {vmId} ({Privileges.VmConfig} is needed)." },
            Keys = DiskKeyHandover.None,
            Check = async vm =>
            {
                current = VmRecordMapper.ToDefinition(vm);
                var (definition, errors) = WithHardware(vm.PendingDefinition ?? current, request);
                if (definition is null)
                {
                    return new OperationResult(OperationStatus.Invalid, string.Join("; ", errors));
                }

                wanted = definition;

                // Only a change of memory is checked: a VM already larger than a host that shrank keeps its other edits.
                if (wanted.MemoryMiB != current.MemoryMiB && HostMemoryRule.Refusal(wanted.MemoryMiB, vm.Host?.MemoryBytes, vm.Host?.Name ?? "") is { } tooLarge)
                {
                    return new OperationResult(OperationStatus.Invalid, tooLarge);
                }

                // A newly chosen ISO is read from its pool: that needs Datastore.Audit there, as inserting one does.
                if (wanted.Cdrom?.IsoPath is { } iso && iso != (vm.PendingDefinition ?? current).Cdrom?.IsoPath
                    && await poolAccess.RefuseForFileAsync(vm.HostId, iso, Privileges.DatastoreAudit, $"put '{Path.GetFileName(iso)}' into this VM's CD-ROM drive", user) is { } noIso)
                {
                    return noIso;
                }

                change = SameDefinition(current, wanted) ? (vm.PendingDefinition is null ? HardwareChange.Nothing : HardwareChange.Withdraw)
                    : IsStopped(vm) ? HardwareChange.Define
                    : HardwareChange.Pending;
                return null;
            },
            TaskDetails = _ => HardwareChanges.Describe(current, wanted),
            Apply = async run =>
            {
                if (change == HardwareChange.Define)
                {
                    VmRecordMapper.ApplyDefinition(run.Vm, wanted);
                }

                run.Vm.PendingDefinition = change == HardwareChange.Pending ? wanted : null;
                if (change == HardwareChange.Pending)
                {
                    await tasks.AppendAsync(run.TaskId, "Pending: the host gets the new definition when the VM is next started or stopped through the panel.");
                }
            },
            ReconcilesReport = false,
        }, user);
    }

    /// <summary>
    /// Hands a stopped VM's pending definition to its host and makes it the current one. Returns the host's error
    /// (and leaves the change pending) when it refuses; null when there was nothing to do or it worked.
    /// </summary>
    private async Task<string?> ApplyPendingAsync(WebVirtDbContext db, VmRecord vm, Guid taskId)
    {
        if (vm.PendingDefinition is not { } pending)
        {
            return null;
        }

        var reply = await agents.SendAsync(vm.HostId, vm.Host!.Name, agent => agent.DefineVm(pending, []));
        if (!reply.Ok)
        {
            return $"The pending hardware changes could not be applied: {reply.Error}";
        }

        // The merge matches disks and NICs by id: they must be loaded into the tracked record.
        await db.Entry(vm).Collection(v => v.Disks).LoadAsync();
        await db.Entry(vm).Collection(v => v.Nics).LoadAsync();
        VmRecordMapper.ApplyDefinition(vm, pending);
        vm.PendingDefinition = null;
        await db.SaveChangesAsync();
        notifier.NotifyVmChanged(vm.Id);
        await tasks.AppendAsync(taskId, "Applied the pending hardware changes.");
        return null;
    }

    /// <summary>The definition with the request's hardware, or the reasons it cannot be.</summary>
    internal static (VmDefinition? Definition, List<string> Errors) WithHardware(VmDefinition basis, UpdateVmHardwareRequest request)
    {
        var errors = new List<string>();
        var nics = request.Nics is null ? basis.Nics.ToList() : WithNics(basis, request.Nics, errors);
        var disks = new List<DiskDefinition>();
        foreach (var disk in basis.Disks)
        {
            var changed = request.DiskBootOrders.TryGetValue(disk.Id, out var order) ? disk with { BootOrder = order } : disk;
            disks.Add(request.DiskOptions.TryGetValue(disk.Id, out var options) ? changed with { Bus = options.Bus, Cache = options.Cache, Discard = options.Discard } : changed);
        }

        foreach (var unknown in request.DiskBootOrders.Keys.Where(k => basis.Disks.All(d => d.Id != k)))
        {
            errors.Add($"diskBootOrders.{unknown}: the VM has no such disk");
        }

        foreach (var (id, options) in request.DiskOptions)
        {
            if (basis.Disks.All(d => d.Id != id))
            {
                errors.Add($"diskOptions.{id}: the VM has no such disk");
            }
            else if (!Enum.IsDefined(options.Bus) || !Enum.IsDefined(options.Cache))
            {
                errors.Add($"diskOptions.{id}: bus and cache must be among the listed values");
            }
        }

        if (request.RemoveCdrom && request.Cdrom is not null)
        {
            errors.Add("cdrom: give either a drive or removeCdrom, not both");
        }

        var definition = basis with
        {
            Cpu = request.Cpu is { } cpu ? cpu with { Model = string.IsNullOrWhiteSpace(cpu.Model) ? null : cpu.Model.Trim() } : basis.Cpu,
            MemoryMiB = request.MemoryMiB ?? basis.MemoryMiB,
            Cdrom = request.RemoveCdrom ? null
                : request.Cdrom is { } cdrom ? cdrom with { IsoPath = string.IsNullOrWhiteSpace(cdrom.IsoPath) ? null : cdrom.IsoPath.Trim() }
                : basis.Cdrom,
            Nics = nics,
            Disks = disks,
        };
        errors.AddRange(DefinitionValidator.Validate(definition).Select(e => e.ToString()));
        return errors.Count == 0 ? (definition, errors) : (null, errors);
    }

    /// <summary>The NICs the request lists, keeping the MAC address of each existing one.</summary>
    private static List<NicDefinition> WithNics(VmDefinition basis, IReadOnlyList<HardwareNicRequest> requested, List<string> errors)
    {
        var usedIds = requested.Where(n => n.Id is not null).Select(n => n.Id!).ToHashSet(StringComparer.Ordinal);
        var nics = new List<NicDefinition>();
        for (var i = 0; i < requested.Count; i++)
        {
            var nic = requested[i];
            var existing = nic.Id is null ? null : basis.Nics.FirstOrDefault(n => n.Id == nic.Id);
            if (nic.Id is not null && existing is null)
            {
                errors.Add($"nics[{i}].id: the VM has no NIC '{nic.Id}'");
                continue;
            }

            var id = existing?.Id ?? NextNicId(usedIds);
            usedIds.Add(id);
            nics.Add(new NicDefinition
            {
                Id = id,
                MacAddress = existing?.MacAddress ?? VmDefinitionFactory.NewMacAddress(),
                Model = nic.Model,
                Mode = nic.Mode,
                TapDevice = nic.Mode == NicMode.Tap ? nic.TapDevice : null,
                PortForwards = nic.Mode == NicMode.User ? nic.PortForwards : [],
                BootOrder = nic.BootOrder,
            });
        }

        return nics;
    }

    private static string NextNicId(HashSet<string> used)
    {
        var n = 0;
        while (used.Contains($"net{n}"))
        {
            n++;
        }

        return $"net{n}";
    }

    private static bool SameDefinition(VmDefinition left, VmDefinition right) =>
        JsonSerializer.Serialize(left, VmDefinitionJsonConverter.Options) == JsonSerializer.Serialize(right, VmDefinitionJsonConverter.Options);
}
