using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Shared.Backups;
using WebVirt.Shared.Vms;
using WebVirt.Web.Backups;
using WebVirt.Web.Clones;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;
using WebVirt.Web.Storage;
using WebVirt.Web.Tests.Agents;
using WebVirt.Web.Tests.Hosting;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Tests.Storage;

/// <summary>
/// The pool privileges of VM create, clone, restore as a new VM and the CD-ROM, through the operations the API and the UI
/// share, for a user who may make and configure VMs but holds nothing on pools until a test grants it.
/// </summary>
public sealed class PoolAccessTests : IAsyncLifetime
{
    private const string ImagePool = "/var/lib/webvirt/images";
    private const string Iso = "/srv/iso/guest.iso";
    private readonly PanelFactory _factory = new();
    private FakeAgent _agent = default!;
    private Guid _hostId;
    private Guid _vmId;
    private Guid _imagePoolId;
    private Guid _isoPoolId;
    private string _userId = "";
    private ClaimsPrincipal _user = default!;

    public async Task InitializeAsync()
    {
        using var admin = await PanelClients.AdminAsync(_factory);
        var host = await PanelClients.CreateHostAsync(admin, "node1");
        _hostId = host.Id;
        _agent = new FakeAgent(_factory, host.Token);
        _agent.HandlePowerAndOptions();
        _agent.HandleDisks();
        await _agent.ConnectAsync();
        Assert.True((await _agent.RegisterAsync()).Accepted);
        _vmId = await PanelClients.CreateVmAsync(admin, new { name = "source", memoryMiB = 256, disks = new[] { new { sizeMiB = 64 } } });
        var definition = _agent.Defined.Single();
        _agent.HandleCopiesAndCdrom([new BackupInfo { Id = "20261201T031500Z", VmUuid = _vmId, CreatedAt = DateTimeOffset.UtcNow, Definition = definition }]);

        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>().CreateDbContextAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await db.StoragePools.AsNoTracking().AnyAsync(p => p.HostId == _hostId && p.Path == ImagePool))
        {
            Assert.True(DateTime.UtcNow < deadline, "the host got no default pool");
            await Task.Delay(50);
        }

        _imagePoolId = (await db.StoragePools.AsNoTracking().SingleAsync(p => p.HostId == _hostId && p.Path == ImagePool)).Id;
        _isoPoolId = Guid.NewGuid();
        db.StoragePools.Add(new StoragePool { Id = _isoPoolId, HostId = _hostId, Name = "isos", Path = "/srv/iso", ContentTypes = StorageContent.Iso });
        await db.SaveChangesAsync();

        await PanelAccess.AsAdminAsync(_factory, (access, a) => access.SaveRoleAsync(a, "VmMaker", [Privileges.VmAudit, Privileges.VmAllocate, Privileges.VmConfig, Privileges.VmClone, Privileges.VmBackup]));
        await PanelAccess.AsAdminAsync(_factory, (access, a) => access.SaveRoleAsync(a, "PoolSpace", [Privileges.DatastoreAudit, Privileges.DatastoreAllocateSpace]));
        _userId = await PanelAccess.CreateUserAsync(_factory, "maker");
        await GrantAsync(AclPaths.Root, "VmMaker", propagate: true);
        _user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, _userId), new Claim(ClaimTypes.Name, "maker")], "test"));
        _agent.Calls.Clear();
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        _factory.Dispose();
    }

    [Fact]
    public async Task Create_WithDisks_NeedsAllocateSpaceOnTheImagePool_WithoutDisksNothing()
    {
        var withDisk = new CreateVmRequest { Name = "new1", MemoryMiB = 256, Disks = [new CreateDiskRequest { SizeMiB = 64 }] };

        var refused = await RunAsync<VmOperations>(o => o.CreateAsync(withDisk, _user));
        var diskless = await RunAsync<VmOperations>(o => o.CreateAsync(new CreateVmRequest { Name = "bare", MemoryMiB = 256 }, _user));

        AssertForbidden(refused, $"{Privileges.DatastoreAllocateSpace} on pool 'default' (/storage/{_imagePoolId})");
        Assert.True(diskless.Succeeded, diskless.Message);
        Assert.Equal(["define bare"], _agent.Calls);

        await GrantAsync(AclPaths.Storage(_imagePoolId), "PoolSpace");
        var allowed = await RunAsync<VmOperations>(o => o.CreateAsync(withDisk, _user));

        Assert.True(allowed.Succeeded, allowed.Message);
        Assert.Equal(["define bare", "define new1"], _agent.Calls);
    }

    [Fact]
    public async Task Create_WithAnIso_NeedsAuditOnItsPool_AndAnIsoOutsideEveryPoolOnTheRoot()
    {
        var refused = await RunAsync<VmOperations>(o => o.CreateAsync(new CreateVmRequest { Name = "cd1", MemoryMiB = 256, CdromIsoPath = Iso }, _user));
        var outside = await RunAsync<VmOperations>(o => o.CreateAsync(new CreateVmRequest { Name = "cd2", MemoryMiB = 256, CdromIsoPath = "/root/secret.iso" }, _user));

        AssertForbidden(refused, $"{Privileges.DatastoreAudit} on pool 'isos'");
        AssertForbidden(outside, $"{Privileges.DatastoreAudit} on /");
        Assert.Empty(_agent.Calls);

        await GrantAsync(AclPaths.Storage(_isoPoolId), BuiltInRoles.Auditor);
        var allowed = await RunAsync<VmOperations>(o => o.CreateAsync(new CreateVmRequest { Name = "cd1", MemoryMiB = 256, CdromIsoPath = Iso }, _user));

        Assert.True(allowed.Succeeded, allowed.Message);
    }

    [Fact]
    public async Task InsertingAnIso_ByTheDriveOrTheHardware_NeedsAuditOnItsPool_EjectingNothing()
    {
        var inserted = await RunAsync<PoolFileOperations>(o => o.ChangeCdromAsync(_vmId, Iso, _user));
        var hardware = await RunAsync<VmOperations>(o => o.UpdateHardwareAsync(_vmId, new UpdateVmHardwareRequest { Cdrom = new CdromDefinition { IsoPath = Iso, BootOrder = 1 } }, _user));
        var ejected = await RunAsync<PoolFileOperations>(o => o.ChangeCdromAsync(_vmId, null, _user));

        AssertForbidden(inserted, $"{Privileges.DatastoreAudit} on pool 'isos'");
        AssertForbidden(hardware, $"{Privileges.DatastoreAudit} on pool 'isos'");
        Assert.True(ejected.Succeeded, ejected.Message);
        Assert.Equal(["cdrom eject"], _agent.Calls);

        await GrantAsync(AclPaths.Storage(_isoPoolId), BuiltInRoles.Auditor);
        var allowed = await RunAsync<PoolFileOperations>(o => o.ChangeCdromAsync(_vmId, Iso, _user));

        Assert.True(allowed.Succeeded, allowed.Message);
        Assert.Equal(["cdrom eject", $"cdrom {Iso}"], _agent.Calls);
    }

    [Fact]
    public async Task CloneAndRestoreAsNew_NeedAllocateSpaceOnTheImagePool()
    {
        var clone = await RunAsync<CloneOperations>(o => o.CloneAsync(_vmId, new CloneVmRequest { Name = "copy" }, _user));
        var restore = await RunAsync<BackupOperations>(o => o.RestoreAsync(_vmId, "20261201T031500Z", new RestoreBackupRequest { NewName = "restored" }, _user));

        AssertForbidden(clone, $"{Privileges.DatastoreAllocateSpace} on pool 'default'");
        AssertForbidden(restore, $"{Privileges.DatastoreAllocateSpace} on pool 'default'");
        Assert.Empty(_agent.Calls);

        await GrantAsync(AclPaths.Storage(_imagePoolId), "PoolSpace");
        var cloned = await RunAsync<CloneOperations>(o => o.CloneAsync(_vmId, new CloneVmRequest { Name = "copy" }, _user));
        var restored = await RunAsync<BackupOperations>(o => o.RestoreAsync(_vmId, "20261201T031500Z", new RestoreBackupRequest { NewName = "restored" }, _user));

        Assert.True(cloned.Succeeded, cloned.Message);
        Assert.True(restored.Succeeded, restored.Message);
        Assert.Equal(["clone copy", "restore 20261201T031500Z as restored"], _agent.Calls);
    }

    private static void AssertForbidden(OperationResult result, string says)
    {
        Assert.True(result.Status == OperationStatus.Forbidden, $"{result.Status}: {result.Message}");
        Assert.Contains(says, result.Message, StringComparison.Ordinal);
    }

    private Task GrantAsync(string path, string role, bool propagate = false) =>
        PanelAccess.AsAdminAsync(_factory, (access, admin) => access.AddAclEntryAsync(admin, path, _userId, null, role, propagate));

    private async Task<OperationResult> RunAsync<T>(Func<T, Task<OperationResult>> operation)
        where T : notnull
    {
        using var scope = _factory.Services.CreateScope();
        return await operation(scope.ServiceProvider.GetRequiredService<T>());
    }
}
