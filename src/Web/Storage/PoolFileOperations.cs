using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Rules.Definitions;
using WebVirt.Rules.Storage;
using WebVirt.Shared.Storage;
using WebVirt.Web.Agents;
using WebVirt.Web.Inventory;
using WebVirt.Web.Operations;
using WebVirt.Web.Permissions;
using WebVirt.Web.Tasks;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Storage;

/// <summary>
/// The files in pools: listing (which keeps the ISO library's records in step with the host), deleting
/// (refused while a VM uses the file), and putting ISOs into VMs' CD-ROM drives.
/// </summary>
internal sealed class PoolFileOperations(
    IDbContextFactory<WebVirtDbContext> contexts,
    AgentGateway agents,
    StorageAgents storage,
    PermissionService permissions,
    PoolCommandRunner runner,
    VmCommandPipeline pipeline,
    PoolAccess poolAccess)
{
    /// <summary>Checks the caller's privilege on the pool and finds the host and pool; for a file, its name and the pool's content types too.</summary>
    public async Task<PoolTarget> ResolveAsync(Guid hostId, Guid poolId, ClaimsPrincipal user, string privilege, string? fileName = null)
    {
        if (!await permissions.HasAsync(user, AclPaths.Storage(poolId), privilege))
        {
            return new PoolTarget(null, null, StorageReplies.Forbidden(privilege == Privileges.DatastoreAudit ? "see this pool" : "change this pool's content"));
        }

        await using var db = await contexts.CreateDbContextAsync();
        var host = await db.Hosts.AsNoTracking().SingleOrDefaultAsync(h => h.Id == hostId && h.RevokedAt == null);
        var pool = await db.StoragePools.AsNoTracking().SingleOrDefaultAsync(p => p.Id == poolId && p.HostId == hostId);
        if (host is null || pool is null)
        {
            return new PoolTarget(null, null, new OperationResult(OperationStatus.NotFound, $"No pool {poolId} on host {hostId}."));
        }

        if (fileName is null)
        {
            return new PoolTarget(host, pool, null);
        }

        if (PoolFileNames.CheckTransferable(fileName) is { } invalid)
        {
            return new PoolTarget(host, pool, new OperationResult(OperationStatus.Invalid, $"fileName: {invalid}"));
        }

        var needs = PoolFileNames.KindOf(fileName) == PoolFileKind.Iso ? StorageContent.Iso : StorageContent.Images;
        return (pool.ContentTypes & needs) == 0
            ? new PoolTarget(host, pool, new OperationResult(OperationStatus.Invalid, $"Pool '{pool.Name}' does not hold {(needs == StorageContent.Iso ? "ISO images" : "disk images")}."))
            : new PoolTarget(host, pool, null);
    }

    /// <summary>The pool's files with what the library knows of them; ISO records follow what the host has.</summary>
    public async Task<(OperationResult Result, IReadOnlyList<PoolFileView> Files)> ContentAsync(Guid hostId, Guid poolId, ClaimsPrincipal user)
    {
        var target = await ResolveAsync(hostId, poolId, user, Privileges.DatastoreAudit);
        if (target.Refusal is { } refusal)
        {
            return (refusal, []);
        }

        var (host, pool) = (target.Host!, target.Pool!);
        var reply = await storage.ListPoolContentAsync(host.Id, host.Name, pool.Path);
        if (!reply.Result.Ok)
        {
            return (AgentReplies.ToResult(reply.Result), []);
        }

        await using var db = await contexts.CreateDbContextAsync();
        var records = await db.IsoImages.Where(i => i.PoolId == pool.Id).ToListAsync();
        var isos = reply.Files.Where(f => f.Kind == PoolFileKind.Iso).ToList();
        db.IsoImages.RemoveRange(records.Where(r => isos.All(f => f.Name != r.FileName)));
        foreach (var file in isos.Where(f => records.All(r => r.FileName != f.Name)))
        {
            // Put there by hand (or by a download the panel did not see end): known from now on, without a checksum.
            var record = new IsoImage { Id = Guid.NewGuid(), PoolId = pool.Id, FileName = file.Name, SizeBytes = file.SizeBytes, UploadedAt = file.ModifiedAt };
            db.IsoImages.Add(record);
            records.Add(record);
        }

        await db.SaveChangesAsync();
        var users = await UsersAsync(db, host.Id);
        return (OperationResult.Done("listed"), [.. reply.Files.Select(f =>
        {
            var path = $"{pool.Path}/{f.Name}";
            return new PoolFileView(f.Name, path, f.Kind, f.SizeBytes, f.ModifiedAt,
                records.FirstOrDefault(r => r.FileName == f.Name)?.Sha256, f.Kind == PoolFileKind.Partial ? null : users.GetValueOrDefault(path));
        })]);
    }

    /// <summary>The ISOs in the host's ISO pools, for CD-ROM pickers; refreshed from the host when it is online.</summary>
    public async Task<IReadOnlyList<IsoChoice>> IsoChoicesAsync(Guid hostId, ClaimsPrincipal user)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var pools = await db.StoragePools.AsNoTracking().Where(p => p.HostId == hostId).ToListAsync();
        var choices = new List<IsoChoice>();
        foreach (var pool in pools.Where(p => (p.ContentTypes & StorageContent.Iso) != 0))
        {
            if (agents.IsConnected(hostId))
            {
                await ContentAsync(hostId, pool.Id, user);
            }

            if (!await permissions.HasAsync(user, AclPaths.Storage(pool.Id), Privileges.DatastoreAudit))
            {
                continue;
            }

            var isos = await db.IsoImages.AsNoTracking().Where(i => i.PoolId == pool.Id).ToListAsync();
            choices.AddRange(isos.Select(i => new IsoChoice($"{pool.Path}/{i.FileName}", i.FileName, pool.Name, i.SizeBytes)));
        }

        return [.. choices.OrderBy(c => c.FileName, StringComparer.OrdinalIgnoreCase)];
    }

    public async Task<OperationResult> DeleteAsync(Guid hostId, Guid poolId, string fileName, ClaimsPrincipal user)
    {
        var target = await ResolveAsync(hostId, poolId, user, Privileges.DatastoreAllocateSpace);
        if (target.Refusal is { } refusal)
        {
            return refusal;
        }

        var (host, pool) = (target.Host!, target.Pool!);
        if (PoolFileNames.Check(fileName) is { } invalid)
        {
            return new OperationResult(OperationStatus.Invalid, $"fileName: {invalid}");
        }

        var path = $"{pool.Path}/{fileName}";
        await using var db = await contexts.CreateDbContextAsync();
        if ((await UsersAsync(db, hostId)).GetValueOrDefault(path) is { } usedBy)
        {
            return new OperationResult(OperationStatus.Conflict, $"'{fileName}' is in use: {usedBy}.");
        }

        return await runner.RunAsync(new PoolCommand(
            host,
            pool,
            "storage.delete",
            path,
            agent => agent.DeletePoolFile(pool.Path, fileName),
            () => db.IsoImages.Where(i => i.PoolId == pool.Id && i.FileName == fileName).ExecuteDeleteAsync(),
            $"'{fileName}' deleted from pool '{pool.Name}'."), user);
    }

    /// <summary>Puts an ISO of the VM's host into its CD-ROM drive (null ejects); live when it runs.</summary>
    public Task<OperationResult> ChangeCdromAsync(Guid vmId, string? isoPath, ClaimsPrincipal user) =>
        pipeline.RunAsync(vmId, new VmCommand(
            Privileges.VmConfig,
            isoPath is null ? "vm.cdrom.eject" : "vm.cdrom.insert",
            _ => agent => agent.ChangeCdrom(vmId, isoPath),
            vm => isoPath is null ? $"CD-ROM of VM '{vm.Name}' ejected." : $"'{Path.GetFileName(isoPath)}' inserted into VM '{vm.Name}'.")
        {
            Access = new VmAccess { Forbidden = _ => StorageReplies.Forbidden("change this VM's CD-ROM").Message },
            Keys = DiskKeyHandover.None,
            Check = async vm => !vm.HasCdrom
                ? new OperationResult(OperationStatus.Conflict, $"VM '{vm.Name}' has no CD-ROM drive.")
                : isoPath is null ? null
                : DefinitionValidator.CheckPath(isoPath) is { } malformed ? new OperationResult(OperationStatus.Invalid, $"isoPath: {malformed}")
                : await poolAccess.RefuseForFileAsync(vm.HostId, isoPath, Privileges.DatastoreAudit, $"insert '{Path.GetFileName(isoPath)}'", user),
            TaskDetails = _ => isoPath ?? "eject",
            Apply = run =>
            {
                run.Vm.CdromIsoPath = isoPath;
                return Task.CompletedTask;
            },
            ReconcilesReport = false,
        }, user);

    /// <summary>Which VM uses each path of the host as a disk or in its CD-ROM drive.</summary>
    private static async Task<Dictionary<string, string>> UsersAsync(WebVirtDbContext db, Guid hostId)
    {
        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var vm in await db.Vms.AsNoTracking().Where(v => v.HostId == hostId && v.CdromIsoPath != null).Select(v => new { v.Name, v.CdromIsoPath }).ToListAsync())
        {
            users.TryAdd(vm.CdromIsoPath!, $"in the CD-ROM drive of VM '{vm.Name}'");
        }

        var disks = from d in db.Disks
                    join v in db.Vms on d.VmId equals v.Id
                    where v.HostId == hostId
                    select new { d.Path, v.Name };
        foreach (var disk in await disks.AsNoTracking().ToListAsync())
        {
            users.TryAdd(disk.Path, $"a disk of VM '{disk.Name}'");
        }

        return users;
    }
}
