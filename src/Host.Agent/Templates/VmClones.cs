using Microsoft.Extensions.Logging;
using WebVirt.Host.Agent.Disks;
using WebVirt.Host.Agent.Vms;
using WebVirt.Hypervisor.Images;
using WebVirt.Hypervisor.Processes;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Clones;
using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Templates;

/// <summary>Templates (stopped VMs that are never started again) and clones: full copies, or linked qcow2 overlays on a template's disks.</summary>
internal sealed class VmClones(
    VmRegistry registry,
    VmSupervisor supervisor,
    QemuImg qemuImg,
    DiskPlacement placement,
    ImagePool imagePool,
    DiskKeyRing keys,
    UefiVars uefi,
    VmDefinitionStore store,
    VmDefinitions definitions,
    ILogger<VmClones> logger)
{
    public Task<AgentReply> ConvertToTemplate(Guid uuid) =>
        registry.RunAsync(uuid, VmOperations.ConvertToTemplate, (entry, _) =>
        {
            if (entry.Definition is not { } definition)
            {
                return Task.FromResult(AgentReplies.NoDefinition(entry));
            }

            if (definition.IsTemplate)
            {
                return Task.FromResult(AgentReply.Failure(AgentErrorKind.Conflict, $"VM '{entry.Name}' is already a template."));
            }

            if (entry.Run is not null || supervisor.IsRunning(uuid))
            {
                return Task.FromResult(AgentReply.Failure(AgentErrorKind.Conflict, $"VM '{entry.Name}' is running: stop it before converting it to a template."));
            }

            var template = definition with { IsTemplate = true, Autostart = false };
            store.Save(template);
            entry.Commit(template);
            VmHostLog.ConvertedToTemplate(logger, uuid, entry.Name);
            return Task.FromResult(AgentReply.Success(entry.Report("converted-to-template")));
        });

    public Task<AgentReply> CloneVm(CloneRequest request)
    {
        if (request?.Target is null)
        {
            return Task.FromResult(AgentReply.Failure(AgentErrorKind.Invalid, "The clone request is missing its target definition."));
        }

        return registry.RunAsync(request.SourceUuid, VmOperations.Clone, async (source, cancellationToken) =>
        {
            if (source.Definition is not { } definition)
            {
                return AgentReplies.NoDefinition(source);
            }

            if (source.Run is not null || supervisor.IsRunning(source.Uuid))
            {
                return AgentReply.Failure(AgentErrorKind.Conflict, $"VM '{source.Name}' is running: stop it before cloning it.");
            }

            var target = request.Target with { IsTemplate = false, Autostart = false };
            if (CheckClone(definition, target, request.Linked) is { } problem)
            {
                return AgentReply.Failure(AgentErrorKind.Invalid, problem);
            }

            var created = new List<string>();
            try
            {
                var progress = registry.Progress.For(request.TaskId);
                for (var i = 0; i < definition.Disks.Count; i++)
                {
                    var from = definition.Disks[i];
                    var to = target.Disks.Single(d => d.Id == from.Id);
                    // An encrypted disk's clone is encrypted with the same key (the panel copies the key to the clone's disk):
                    // a linked clone's overlay must be, as it reads its template's clusters with that key.
                    using var key = keys.KeyFileOf(source.Uuid, from);
                    if (request.Linked)
                    {
                        await (key is null
                            ? qemuImg.CreateLinkedCloneAsync(to.Path, from.Path, from.Format, cancellationToken)
                            : qemuImg.CreateEncryptedLinkedCloneAsync(to.Path, from.Path, key.Path, cancellationToken)).ConfigureAwait(false);
                        created.Add(to.Path);
                    }
                    else
                    {
                        var done = i;
                        var disks = definition.Disks.Count;
                        created.Add(to.Path);
                        var share = progress is null ? null : new SynchronousProgress(percent => progress.Report((done + (percent / 100)) / disks));
                        await (key is null
                            ? qemuImg.ConvertAsync(from.Path, from.Format, to.Path, to.Format, compress: false, share, cancellationToken)
                            : qemuImg.ConvertEncryptedAsync(from.Path, to.Path, key.Path, share, cancellationToken)).ConfigureAwait(false);
                    }

                    progress?.Report((double)(i + 1) / definition.Disks.Count);
                }

                var defined = await definitions.DefineVm(target, []).ConfigureAwait(false);
                if (!defined.Ok)
                {
                    DeleteFiles(created);
                    return defined;
                }

                uefi.CopyUefiVars(source.Uuid, target.Uuid);
                VmHostLog.Cloned(logger, source.Uuid, source.Name, target.Uuid, target.Name, request.Linked);
                return defined with { Vm = defined.Vm! with { Reason = request.Linked ? "linked-clone" : "full-clone" } };
            }
            catch
            {
                DeleteFiles(created);
                throw;
            }
        });
    }

    /// <summary>Why the target cannot be a clone of the source, or null. Nothing is created before this passes.</summary>
    public string? CheckClone(VmDefinition source, VmDefinition target, bool linked)
    {
        if (linked && !source.IsTemplate)
        {
            return $"A linked clone needs a template as its source: convert VM '{source.Name}' to a template first, or make a full clone.";
        }

        if (target.Uuid == source.Uuid || registry.TryGetEntry(target.Uuid) is { IsVisible: true })
        {
            return $"VM {target.Uuid} already exists on this host: a clone needs a new UUID.";
        }

        if (registry.Entries().FirstOrDefault(e => string.Equals(e.Name, target.Name, StringComparison.OrdinalIgnoreCase)) is { } clash)
        {
            return $"The name '{target.Name}' is already used by VM {clash.Uuid} on this host.";
        }

        if (target.Disks.Count != source.Disks.Count || source.Disks.Any(d => target.Disks.All(t => t.Id != d.Id)))
        {
            return "The clone must have one disk for each disk of its source, with the same ids.";
        }

        var sourceMacs = source.Nics.Select(n => n.MacAddress).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (target.Nics.Any(n => sourceMacs.Contains(n.MacAddress)))
        {
            return "The clone must have new MAC addresses.";
        }

        foreach (var disk in target.Disks)
        {
            if (placement.CheckInside(disk.Path) is { } outside)
            {
                return $"Disk '{disk.Id}': {outside}.";
            }

            // The source's images may have any name, but the agent only creates images under the naming rule.
            if ((DiskImageNames.CheckNamed(target.Uuid, disk) ?? CheckDirectlyInAPool(disk.Path)) is { } misnamed)
            {
                return $"Disk '{disk.Id}': {misnamed}.";
            }

            if (File.Exists(disk.Path) || Directory.Exists(disk.Path))
            {
                return $"Disk '{disk.Id}': '{disk.Path}' already exists; an existing file is never overwritten.";
            }

            if (linked && disk.Format != DiskFormat.Qcow2)
            {
                return $"Disk '{disk.Id}': a linked clone's disks are qcow2 overlays.";
            }

            if (source.Disks.Single(d => d.Id == disk.Id).Encrypted != disk.Encrypted)
            {
                return $"Disk '{disk.Id}': a copy of a disk keeps its encryption (on or off).";
            }

            if (disk.Encrypted && disk.Format != DiskFormat.Qcow2)
            {
                return $"Disk '{disk.Id}': only qcow2 disks can be encrypted.";
            }
        }

        return null;
    }

    private string? CheckDirectlyInAPool(string path) =>
        placement.PoolOf(path) is not null || Path.GetDirectoryName(ImagePool.RealPath(Path.GetFullPath(path))) == ImagePool.RealPath(imagePool.Root)
            ? null
            : $"'{path}' is not directly in a pool: the agent makes no folders for new images";

    public static void DeleteFiles(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            File.Delete(path);
        }
    }
}
