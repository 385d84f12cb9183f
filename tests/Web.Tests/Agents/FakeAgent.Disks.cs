using Microsoft.AspNetCore.SignalR.Client;
using WebVirt.Rules.Storage;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Disks;
using WebVirt.Shared.Storage;
using WebVirt.Shared.Vms;

namespace WebVirt.Web.Tests.Agents;

/// <summary>A host's pools and disk images in memory, answering the disk and pool calls as an agent would.</summary>
internal sealed partial class FakeAgent
{
    private readonly object _disksLock = new();

    /// <summary>Files per pool folder: name → (virtual size, actual size).</summary>
    public Dictionary<string, Dictionary<string, (long Virtual, long Actual)>> PoolFiles { get; } = new(StringComparer.Ordinal);

    /// <summary>Each VM's disk id → image path, as the host's stored definition has it.</summary>
    public Dictionary<Guid, Dictionary<string, string>> DiskPaths { get; } = [];

    public Dictionary<string, int> Snapshots { get; } = new(StringComparer.Ordinal);

    public List<AddDiskRequest> Added { get; } = [];

    public List<MoveDiskRequest> Moved { get; } = [];

    /// <summary>Awaited inside AddDisk, MoveDisk and CompressDisk before they answer (after reporting half progress).</summary>
    public Func<string, Task>? Holding { get; set; }

    /// <summary>The next disk call fails with this reply.</summary>
    public AgentReply? FailNext { get; set; }

    public void AddPoolFile(string pool, string name, long virtualBytes, long actualBytes)
    {
        lock (_disksLock)
        {
            Files(pool)[name] = (virtualBytes, actualBytes);
        }
    }

    public bool HasFile(string path)
    {
        lock (_disksLock)
        {
            return PoolFiles.TryGetValue(Path.GetDirectoryName(path)!, out var files) && files.ContainsKey(Path.GetFileName(path));
        }
    }

    /// <summary>Answers pool listings, the seven disk calls and disk keys.</summary>
    public void HandleDisks()
    {
        _connection.On<PoolListReply>(nameof(IAgentClient.ListPools), () =>
        {
            lock (_disksLock)
            {
                return new PoolListReply(AgentReply.Success(), [.. PoolFiles.Keys.Select(p => new PoolStatus { Path = p, TotalBytes = 100L << 30, FreeBytes = 40L << 30 })]);
            }
        });
        _connection.On<string, PoolContentReply>(nameof(IAgentClient.ListPoolContent), pool =>
        {
            lock (_disksLock)
            {
                return new PoolContentReply(AgentReply.Success(), [.. Files(pool).Select(f => new PoolFile(f.Key, WebVirt.Rules.Storage.PoolFileNames.KindOf(f.Key), f.Value.Actual, DateTimeOffset.UnixEpoch))]);
            }
        });
        _connection.On<Guid, IReadOnlyDictionary<string, string>, AgentReply>(nameof(IAgentClient.ProvideDiskKeys), (uuid, keys) =>
        {
            Calls.Add($"keys {string.Join(",", keys.Keys)}");
            return AgentReply.Success();
        });
        _connection.On<AddDiskRequest, AgentReply>(nameof(IAgentClient.AddDisk), async request =>
        {
            Calls.Add($"add {request.Disk.Id} {request.Disk.Path}");
            Added.Add(request);
            if (await HoldAsync("add", request.TaskId) is { } failed)
            {
                return failed;
            }

            lock (_disksLock)
            {
                if (request.SizeBytes is { } size)
                {
                    Files(Path.GetDirectoryName(request.Disk.Path)!)[Path.GetFileName(request.Disk.Path)] = (size, 196_608);
                }
                else if (request.ImportFrom is { } source)
                {
                    var from = Files(Path.GetDirectoryName(source)!)[Path.GetFileName(source)];
                    Files(Path.GetDirectoryName(request.Disk.Path)!)[Path.GetFileName(request.Disk.Path)] = from;
                }

                Disks(request.Uuid)[request.Disk.Id] = request.Disk.Path;
            }

            return AgentReply.Success();
        });
        _connection.On<Guid, string, bool, AgentReply>(nameof(IAgentClient.DetachDisk), (uuid, diskId, deleteImage) =>
        {
            Calls.Add($"detach {diskId} {(deleteImage ? "delete" : "keep")}");
            if (TakeFailure() is { } failed)
            {
                return failed;
            }

            lock (_disksLock)
            {
                if (Disks(uuid).Remove(diskId, out var path) && deleteImage)
                {
                    Files(Path.GetDirectoryName(path)!).Remove(Path.GetFileName(path));
                }
            }

            return AgentReply.Success();
        });
        _connection.On<Guid, string, long, AgentReply>(nameof(IAgentClient.ResizeDisk), (uuid, diskId, size) =>
        {
            Calls.Add($"resize {diskId} {size}");
            if (TakeFailure() is { } failed)
            {
                return failed;
            }

            lock (_disksLock)
            {
                var path = Disks(uuid)[diskId];
                var files = Files(Path.GetDirectoryName(path)!);
                files[Path.GetFileName(path)] = (size, files[Path.GetFileName(path)].Actual);
            }

            return AgentReply.Success();
        });
        _connection.On<MoveDiskRequest, AgentReply>(nameof(IAgentClient.MoveDisk), async request =>
        {
            Calls.Add($"move {request.DiskId} {request.TargetPool} {request.TargetFormat?.ToString() ?? "keep"}");
            Moved.Add(request);
            if (await HoldAsync("move", request.TaskId) is { } failed)
            {
                return failed;
            }

            lock (_disksLock)
            {
                var path = Disks(request.Uuid)[request.DiskId];
                var old = Files(Path.GetDirectoryName(path)!);
                var image = old[Path.GetFileName(path)];
                old.Remove(Path.GetFileName(path));
                var extension = (request.TargetFormat ?? (path.EndsWith(".raw", StringComparison.Ordinal) ? DiskFormat.Raw : DiskFormat.Qcow2)) == DiskFormat.Raw ? "raw" : "qcow2";
                var name = $"{request.Uuid:D}-{request.DiskId}.{extension}";
                Files(request.TargetPool)[name] = image;
                Disks(request.Uuid)[request.DiskId] = $"{request.TargetPool}/{name}";
            }

            return AgentReply.Success();
        });
        _connection.On<Guid, string, Guid?, AgentReply>(nameof(IAgentClient.CompressDisk), async (uuid, diskId, taskId) =>
        {
            Calls.Add($"compress {diskId}");
            if (await HoldAsync("compress", taskId) is { } failed)
            {
                return failed;
            }

            lock (_disksLock)
            {
                var path = Disks(uuid)[diskId];
                var files = Files(Path.GetDirectoryName(path)!);
                var image = files[Path.GetFileName(path)];
                files[Path.GetFileName(path)] = (image.Virtual, image.Actual / 2);
            }

            return AgentReply.Success();
        });
        _connection.On<Guid, string, DiskIoLimits?, AgentReply>(nameof(IAgentClient.SetDiskIoLimits), (uuid, diskId, limits) =>
        {
            Calls.Add($"limits {diskId} {limits?.ReadIops?.ToString() ?? "-"}/{limits?.WriteIops?.ToString() ?? "-"}");
            return TakeFailure() ?? AgentReply.Success();
        });
        _connection.On<Guid, DiskUsageReply>(nameof(IAgentClient.GetDiskUsage), uuid =>
        {
            lock (_disksLock)
            {
                return new DiskUsageReply(AgentReply.Success(), [.. Disks(uuid).Select(d =>
                {
                    var found = PoolFiles.TryGetValue(Path.GetDirectoryName(d.Value)!, out var files) && files.TryGetValue(Path.GetFileName(d.Value), out _);
                    var image = found ? files![Path.GetFileName(d.Value)] : default;
                    return new DiskUsage
                    {
                        DiskId = d.Key,
                        Path = d.Value,
                        Format = d.Value.EndsWith(".raw", StringComparison.Ordinal) ? DiskFormat.Raw : DiskFormat.Qcow2,
                        VirtualBytes = image.Virtual,
                        ActualBytes = image.Actual,
                        SnapshotCount = Snapshots.GetValueOrDefault(d.Value),
                        Error = found ? null : "No such file",
                    };
                })]);
            }
        });
    }

    /// <summary>Registers a VM's disks as the host knows them (what DefineVm created).</summary>
    public void KnowDisks(VmDefinition definition, long virtualBytes)
    {
        lock (_disksLock)
        {
            foreach (var disk in definition.Disks)
            {
                Disks(definition.Uuid)[disk.Id] = disk.Path;
                Files(Path.GetDirectoryName(disk.Path)!)[Path.GetFileName(disk.Path)] = (virtualBytes, virtualBytes / 4);
            }
        }
    }

    private async Task<AgentReply?> HoldAsync(string what, Guid? taskId)
    {
        if (taskId is { } id)
        {
            // Send, not invoke: a handler that waited for the hub's answer would block this connection's receive loop.
            await _connection.SendAsync(nameof(IAgentHub.ReportTaskProgress), new TaskProgress(id, 0.5));
        }

        if (Holding is { } holding)
        {
            await holding(what);
        }

        return TakeFailure();
    }

    private AgentReply? TakeFailure()
    {
        var failed = FailNext;
        FailNext = null;
        return failed;
    }

    private Dictionary<string, (long Virtual, long Actual)> Files(string pool)
    {
        pool = pool.TrimEnd('/');
        if (!PoolFiles.TryGetValue(pool, out var files))
        {
            PoolFiles[pool] = files = new(StringComparer.Ordinal);
        }

        return files;
    }

    private Dictionary<string, string> Disks(Guid uuid)
    {
        if (!DiskPaths.TryGetValue(uuid, out var disks))
        {
            DiskPaths[uuid] = disks = new(StringComparer.Ordinal);
        }

        return disks;
    }
}
