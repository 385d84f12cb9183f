using Microsoft.Extensions.Logging;
using WebVirt.Host.Agent.Disks;
using WebVirt.Host.Agent.Storage;
using WebVirt.Hypervisor.CommandLine;
using WebVirt.Hypervisor.Images;
using WebVirt.Hypervisor.Processes;
using WebVirt.Rules.Definitions;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Vms;

/// <summary>The VMs' stored definitions: defining (with new disk images), undefining, start options.</summary>
internal sealed class VmDefinitions(
    VmRegistry registry,
    VmSupervisor supervisor,
    QemuImg qemuImg,
    VmDefinitionStore store,
    DiskPlacement placement,
    DiskKeyRing keys,
    PoolIsos isos,
    ImageUsers users,
    ILogger<VmDefinitions> logger)
{
    /// <summary>
    /// Stores a definition, creating its new disk images in the pool. Nothing changes when any check fails:
    /// images created by this call are deleted again.
    /// </summary>
    public Task<AgentReply> DefineVm(VmDefinition definition, IReadOnlyList<NewDisk> newDisks)
    {
        if (definition is null)
        {
            return Task.FromResult(AgentReply.Failure(AgentErrorKind.Invalid, "The definition is missing."));
        }

        newDisks ??= [];
        if (registry.IsStopping)
        {
            return Task.FromResult(AgentReplies.ShuttingDown(VmOperations.Define));
        }

        if (registry.TryClaimForDefinition(definition, VmOperations.Define, out var entry, out var isNew) is { } refused)
        {
            return Task.FromResult(refused);
        }

        return registry.Track(registry.GuardAsync(entry, VmOperations.Define, ct => DefineAsync(entry, definition, newDisks, ct), forgetOnFailure: isNew));
    }

    /// <summary>Forgets a stopped VM: its data folder always, its disk images in the pool when asked.</summary>
    public Task<AgentReply> UndefineVm(Guid uuid, bool removeDisks) =>
        registry.RunAsync(uuid, VmOperations.Undefine, (entry, _) =>
        {
            if (entry.Run is not null || supervisor.IsRunning(uuid))
            {
                return Task.FromResult(AgentReply.Failure(AgentErrorKind.Conflict, $"VM '{entry.Name}' is running: stop it before removing it."));
            }

            if (entry.Definition is { IsTemplate: true } template && users.LinkedClonesOf(template) is { Count: > 0 } clones)
            {
                return Task.FromResult(AgentReply.Failure(AgentErrorKind.Conflict,
                    $"Template '{entry.Name}' has linked clones ({string.Join(", ", clones)}): their disks are built on its disks. Delete them first."));
            }

            if (removeDisks && entry.Definition is { } definition)
            {
                DeleteDisks(definition);
            }

            store.Delete(uuid);
            registry.Forget(entry);
            VmHostLog.Undefined(logger, uuid, entry.Name, removeDisks);
            return Task.FromResult(AgentReply.Success());
        });

    private async Task<AgentReply> DefineAsync(VmEntry entry, VmDefinition definition, IReadOnlyList<NewDisk> newDisks, CancellationToken cancellationToken)
    {
        if (entry.Run is not null || supervisor.IsRunning(definition.Uuid))
        {
            return AgentReply.Failure(AgentErrorKind.Conflict, $"VM '{entry.Name}' is running: stop it before changing its definition.");
        }

        var errors = CheckDefinition(definition, newDisks);
        if (errors.Count > 0)
        {
            return AgentReply.Failure(AgentErrorKind.Invalid, new InvalidDefinitionException(errors).Message);
        }

        var created = new List<string>();
        try
        {
            foreach (var newDisk in newDisks)
            {
                var disk = definition.Disks.First(d => d.Id == newDisk.DiskId);
                Directory.CreateDirectory(Path.GetDirectoryName(disk.Path)!);
                if (disk.Encrypted)
                {
                    await keys.CreateEncryptedDiskAsync(definition, disk, newDisk.SizeBytes, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await qemuImg.CreateAsync(disk.Path, disk.Format, newDisk.SizeBytes, cancellationToken).ConfigureAwait(false);
                }

                created.Add(disk.Path);
                VmHostLog.DiskCreated(logger, definition.Uuid, disk.Path, disk.Format, newDisk.SizeBytes);
            }

            store.Save(definition);
        }
        catch
        {
            foreach (var path in created)
            {
                File.Delete(path);
            }

            throw;
        }

        entry.Commit(definition);
        VmHostLog.Defined(logger, definition.Uuid, definition.Name, created.Count);
        return AgentReply.Success(entry.Report("defined"));
    }

    /// <summary>Every reason to refuse the definition: the validator's, disks outside the pool, and new disks that cannot be created.</summary>
    private List<DefinitionError> CheckDefinition(VmDefinition definition, IReadOnlyList<NewDisk> newDisks)
    {
        var errors = new List<DefinitionError>();
        for (var i = 0; i < definition.Disks.Count; i++)
        {
            if (placement.CheckInside(definition.Disks[i].Path) is { } outside)
            {
                errors.Add(new DefinitionError($"disks[{i}].path", outside));
            }
        }

        // Only ISOs in a pool, which the agent has screened, reach QEMU (as ChangeCdrom allows).
        if (definition.Cdrom?.IsoPath is { } iso && DefinitionValidator.CheckPath(iso) is null && isos.Check(iso) is { } notAnIso)
        {
            errors.Add(new DefinitionError("cdrom.isoPath", notAnIso));
        }

        errors.AddRange(DefinitionValidator.Validate(definition));
        errors.AddRange(supervisor.CheckHostPolicy(definition));
        if (errors.Count > 0)
        {
            return errors;
        }

        var newIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var newDisk in newDisks)
        {
            var field = $"newDisks[{newDisk.DiskId}]";
            if (!newIds.Add(newDisk.DiskId))
            {
                errors.Add(new DefinitionError(field, "is listed twice"));
            }
            else if (definition.Disks.FirstOrDefault(d => d.Id == newDisk.DiskId) is not { } disk)
            {
                errors.Add(new DefinitionError(field, "names no disk of this definition"));
            }
            else if (newDisk.SizeBytes <= 0)
            {
                errors.Add(new DefinitionError($"{field}.sizeBytes", "must be positive"));
            }
            else if (File.Exists(disk.Path) || Directory.Exists(disk.Path) || new FileInfo(disk.Path).LinkTarget is not null)
            {
                errors.Add(new DefinitionError(field, $"'{disk.Path}' already exists; an existing file is never overwritten"));
            }
        }

        for (var i = 0; i < definition.Disks.Count; i++)
        {
            var disk = definition.Disks[i];
            if (!newIds.Contains(disk.Id) && !File.Exists(disk.Path))
            {
                errors.Add(new DefinitionError($"disks[{i}].path", $"'{disk.Path}' does not exist (list the disk in newDisks to create it)"));
            }
        }

        return errors;
    }

    /// <summary>Deletes the VM's images that lie in a pool and that no other VM on this host uses.</summary>
    private void DeleteDisks(VmDefinition definition)
    {
        var usedElsewhere = registry.Entries()
            .Where(e => e.Uuid != definition.Uuid)
            .SelectMany(e => e.Definition?.Disks ?? [])
            .Select(d => d.Path)
            .ToHashSet(StringComparer.Ordinal);

        foreach (var disk in definition.Disks)
        {
            if (!placement.Contains(disk.Path) || usedElsewhere.Contains(disk.Path))
            {
                VmHostLog.DiskKept(logger, definition.Uuid, disk.Path);
                continue;
            }

            File.Delete(disk.Path);
        }
    }

    /// <summary>
    /// Rewrites the stored definition's autostart and start order. Unlike <see cref="DefineVm"/> this works on a
    /// running VM: QEMU never sees these, only <see cref="VmHost.AutostartAsync"/> does at the next host start.
    /// </summary>
    public Task<AgentReply> SetStartOptions(Guid uuid, bool autostart, int startOrder)
    {
        if (startOrder is < 0 or > DefinitionValidator.MaxStartOrder)
        {
            return Task.FromResult(AgentReply.Failure(AgentErrorKind.Invalid, $"startOrder: must be between 0 and {DefinitionValidator.MaxStartOrder}"));
        }

        return registry.RunAsync(uuid, VmOperations.StartOptions, (entry, _) =>
        {
            if (entry.Definition is not { } definition)
            {
                return Task.FromResult(AgentReplies.NotFound(uuid));
            }

            var changed = definition with { Autostart = autostart, StartOrder = startOrder };
            store.Save(changed);
            entry.Commit(changed);
            return Task.FromResult(AgentReply.Success(entry.Report()));
        });
    }
}
