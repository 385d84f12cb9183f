using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Shared.Vms;
using WebVirt.Web.Disks;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;
using WebVirt.Web.Tasks;
using WebVirt.Web.Tests.Agents;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Disks;

/// <summary>
/// The disk actions through /api/v1/vms/{id}/disks against the real panel (real SQLite, tasks, audit, permissions) and a
/// stand-in agent on a real SignalR connection that keeps a host's pools and images in memory.
/// </summary>
public sealed class DiskApiTests : IAsyncLifetime
{
    private const string DefaultPool = "/var/lib/webvirt/images";
    private const string FastPool = "/srv/fast";
    private readonly PanelFactory _factory = new();
    private HttpClient _admin = default!;
    private FakeAgent _agent = default!;
    private Guid _hostId;
    private Guid _vmId;
    private Guid _defaultPoolId;
    private Guid _fastPoolId;

    public async Task InitializeAsync()
    {
        _admin = await PanelClients.AdminAsync(_factory);
        var host = await PanelClients.CreateHostAsync(_admin, "node1");
        _hostId = host.Id;
        _agent = new FakeAgent(_factory, host.Token);
        _agent.HandlePowerAndOptions();
        _agent.HandleDisks();
        _agent.AddPoolFile(FastPool, "seed.raw", 32L << 20, 32L << 20);
        await _agent.ConnectAsync();
        Assert.True((await _agent.RegisterAsync()).Accepted);
        using var created = await _admin.PostAsJsonAsync("/api/v1/vms", new
        {
            name = "vm1",
            memoryMiB = 256,
            cdromIsoPath = "/srv/iso/guest.iso",
            disks = new[] { new { sizeMiB = 1024 } },
        });
        created.EnsureSuccessStatusCode();
        _vmId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("vmId").GetGuid();
        _agent.KnowDisks(_agent.Defined.Single(), 1L << 30);

        await using var db = await Contexts().CreateDbContextAsync();
        _defaultPoolId = (await WaitForAsync(() => db.StoragePools.AsNoTracking().FirstOrDefaultAsync(p => p.HostId == _hostId && p.Path == DefaultPool))).Id;
        _fastPoolId = Guid.NewGuid();
        db.StoragePools.Add(new StoragePool { Id = _fastPoolId, HostId = _hostId, Name = "fast", Path = FastPool, ContentTypes = StorageContent.Images });
        db.StoragePools.Add(new StoragePool { Id = Guid.NewGuid(), HostId = _hostId, Name = "isos", Path = "/srv/iso", ContentTypes = StorageContent.Iso });
        await db.SaveChangesAsync();
        _agent.Calls.Clear();
    }

    [Fact]
    public async Task AddNew_NamesTheImageAfterVmAndNextFreeId_StoresLimits_RecordsTaskAndAudit()
    {
        // A detached image of an earlier disk1 lies in the pool: the new disk skips to disk2 rather than overwrite it.
        _agent.AddPoolFile(FastPool, $"{_vmId:D}-disk1.qcow2", 1L << 20, 1L << 20);

        using var response = await _admin.PostAsJsonAsync($"/api/v1/vms/{_vmId}/disks", new
        {
            source = "New",
            poolId = _fastPoolId,
            sizeMiB = 64,
            bus = "Sata",
            cache = "Writeback",
            discard = false,
            ioLimits = new { readIops = 100, writeBytesPerSecond = 10L << 20 },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var added = Assert.Single(_agent.Added);
        Assert.Equal("disk2", added.Disk.Id);
        Assert.Equal($"{FastPool}/{_vmId:D}-disk2.qcow2", added.Disk.Path);
        Assert.Equal(64L << 20, added.SizeBytes);
        Assert.Null(added.ImportFrom);
        Assert.NotNull(added.TaskId);
        var disk = (await VmAsync()).Disks.Single(d => d.DiskId == "disk2");
        Assert.Equal((DiskBus.Sata, DiskCache.Writeback, false), (disk.Bus, disk.Cache, disk.Discard));
        Assert.Equal((100L, 10L << 20), (disk.ReadIops!.Value, disk.WriteBytesPerSecond!.Value));
        Assert.Null(disk.ReadBytesPerSecond);
        Assert.Equal(64L << 20, disk.SizeBytes);
        var task = await TaskAsync("vm.disk.add");
        Assert.Equal((TaskState.Succeeded, added.TaskId), (task.Status, (Guid?)task.Id));
        await using var db = await Contexts().CreateDbContextAsync();
        Assert.Contains(await db.AuditEntries.Where(a => a.Action == "vm.disk.add").Select(a => a.Details).ToListAsync(), d => d!.StartsWith("disk2: new 64 MiB qcow2 in pool fast", StringComparison.Ordinal));

        var listed = JsonDocument.Parse(await _admin.GetStringAsync($"/api/v1/vms/{_vmId}/disks")).RootElement;
        var row = listed.EnumerateArray().Single(d => d.GetProperty("disk").GetProperty("id").GetString() == "disk2");
        Assert.Equal("fast", row.GetProperty("poolName").GetString());
        Assert.Equal(64L << 20, row.GetProperty("virtualBytes").GetInt64());
        Assert.Equal(100, row.GetProperty("disk").GetProperty("ioLimits").GetProperty("readIops").GetInt64());
    }

    [Fact]
    public async Task AddImportAndExisting_UseThePoolFile_EncryptedNewGetsAKeptKey()
    {
        using (var imported = await _admin.PostAsJsonAsync($"/api/v1/vms/{_vmId}/disks", new { source = "Import", poolId = _defaultPoolId, sourcePoolId = _fastPoolId, fileName = "seed.raw", importFormat = "Raw", format = "Qcow2" }))
        {
            Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        }

        Assert.Equal(($"{FastPool}/seed.raw", DiskFormat.Raw, $"{DefaultPool}/{_vmId:D}-disk1.qcow2"), (_agent.Added[0].ImportFrom, _agent.Added[0].ImportFormat!.Value, _agent.Added[0].Disk.Path));

        using (var attached = await _admin.PostAsJsonAsync($"/api/v1/vms/{_vmId}/disks", new { source = "Existing", poolId = _fastPoolId, fileName = "seed.raw", format = "Raw" }))
        {
            Assert.Equal(HttpStatusCode.OK, attached.StatusCode);
        }

        Assert.Equal(($"{FastPool}/seed.raw", (long?)null, (string?)null), (_agent.Added[1].Disk.Path, _agent.Added[1].SizeBytes, _agent.Added[1].ImportFrom));

        // The same file cannot become a second VM disk.
        using (var again = await _admin.PostAsJsonAsync($"/api/v1/vms/{_vmId}/disks", new { source = "Existing", poolId = _fastPoolId, fileName = "seed.raw", format = "Raw" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.Contains("in use: a disk of VM 'vm1'", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var encrypted = await _admin.PostAsJsonAsync($"/api/v1/vms/{_vmId}/disks", new { source = "New", poolId = _fastPoolId, sizeMiB = 16, encrypted = true }))
        {
            Assert.Equal(HttpStatusCode.OK, encrypted.StatusCode);
        }

        Assert.Contains("keys disk3", _agent.Calls);
        var disk3 = (await VmAsync()).Disks.Single(d => d.DiskId == "disk3");
        Assert.True(disk3.Encrypted);
        Assert.NotNull(disk3.ProtectedKey);
        Assert.Equal(["disk0", "disk1", "disk2", "disk3"], (await VmAsync()).Disks.OrderBy(d => d.Position).Select(d => d.DiskId));
    }

    [Theory]
    [InlineData("""{"source":"New","sizeMiB":0}""", "sizeMiB:")]
    [InlineData("""{"source":"New","sizeMiB":70368744177665}""", "sizeMiB:")]
    [InlineData("""{"source":"New"}""", "sizeMiB:")]
    [InlineData("""{"source":"New","sizeMiB":8,"fileName":"mine.qcow2"}""", "fileName:")]
    [InlineData("""{"source":"Import","fileName":"../etc/passwd","importFormat":"Raw"}""", "fileName:")]
    [InlineData("""{"source":"Import","fileName":"seed.raw"}""", "importFormat:")]
    [InlineData("""{"source":"Existing","fileName":"missing.qcow2"}""", "has no image file 'missing.qcow2'")]
    [InlineData("""{"source":"New","sizeMiB":8,"format":"Raw","encrypted":true}""", "encrypted:")]
    [InlineData("""{"source":"New","sizeMiB":8,"ioLimits":{"readIops":-5}}""", "ioLimits.readIops:")]
    public async Task Add_BadInput_Is400AndChangesNothing(string json, string expected)
    {
        var body = JsonDocument.Parse(json).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value);
        body["poolId"] = _fastPoolId;

        using var response = await _admin.PostAsJsonAsync($"/api/v1/vms/{_vmId}/disks", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertNothingChangedAsync();
    }

    [Fact]
    public async Task Add_UnknownPoolOrIsoPool_OrAFullBus_Is400AndChangesNothing()
    {
        using (var unknown = await _admin.PostAsJsonAsync($"/api/v1/vms/{_vmId}/disks", new { source = "New", poolId = Guid.NewGuid(), sizeMiB = 8 }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
            Assert.Contains("poolId: host 'node1' has no pool", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await using (var db = await Contexts().CreateDbContextAsync())
        {
            var isoPool = await db.StoragePools.SingleAsync(p => p.Name == "isos");
            using var iso = await _admin.PostAsJsonAsync($"/api/v1/vms/{_vmId}/disks", new { source = "New", poolId = isoPool.Id, sizeMiB = 8 });
            Assert.Equal(HttpStatusCode.BadRequest, iso.StatusCode);
            Assert.Contains("does not hold disk images", await iso.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await AssertNothingChangedAsync();

        // q35 has 6 SATA ports and the CD-ROM takes one: the sixth SATA disk is refused.
        for (var i = 0; i < 5; i++)
        {
            using var sata = await _admin.PostAsJsonAsync($"/api/v1/vms/{_vmId}/disks", new { source = "New", poolId = _fastPoolId, sizeMiB = 8, bus = "Sata" });
            Assert.Equal(HttpStatusCode.OK, sata.StatusCode);
        }

        using var full = await _admin.PostAsJsonAsync($"/api/v1/vms/{_vmId}/disks", new { source = "New", poolId = _fastPoolId, sizeMiB = 8, bus = "Sata" });
        Assert.Equal(HttpStatusCode.BadRequest, full.StatusCode);
        Assert.Contains("at most 5 SATA disks besides the CD-ROM", await full.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(5, _agent.Added.Count);
        Assert.Equal(6, (await VmAsync()).Disks.Count);
    }

    [Fact]
    public async Task Permissions_OperatorMayConfigureButNotAllocate_AuditorMayNot_NobodyElseSeesTheVm()
    {
        var operatorId = await PanelAccess.CreateUserAsync(_factory, "oper");
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.AddAclEntryAsync(admin, "/", operatorId, null, BuiltInRoles.Operator, propagate: true));
        var auditorId = await PanelAccess.CreateUserAsync(_factory, "audit");
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.AddAclEntryAsync(admin, "/", auditorId, null, BuiltInRoles.Auditor, propagate: true));
        await PanelAccess.CreateUserAsync(_factory, "nobody");
        using var oper = await PanelAccess.ClientAsync(_factory, "oper");
        using var audit = await PanelAccess.ClientAsync(_factory, "audit");
        using var nobody = await PanelAccess.ClientAsync(_factory, "nobody");
        var newDisk = new { source = "New", poolId = _fastPoolId, sizeMiB = 8 };

        using (var refused = await oper.PostAsJsonAsync($"/api/v1/vms/{_vmId}/disks", newDisk))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains($"{Privileges.DatastoreAllocateSpace} on /storage/{_fastPoolId}", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var grow = await oper.PostAsJsonAsync($"/api/v1/vms/{_vmId}/disks/disk0/resize", new { sizeMiB = 4096 }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, grow.StatusCode);
        }

        using (var delete = await oper.DeleteAsync($"/api/v1/vms/{_vmId}/disks/disk0?deleteImage=true"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        }

        using (var auditor = await audit.PostAsJsonAsync($"/api/v1/vms/{_vmId}/disks", newDisk))
        {
            Assert.Equal(HttpStatusCode.Forbidden, auditor.StatusCode);
            Assert.Contains(Privileges.VmConfig, await auditor.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var stranger = await nobody.PostAsJsonAsync($"/api/v1/vms/{_vmId}/disks", newDisk))
        {
            Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
        }

        using (var list = await nobody.GetAsync($"/api/v1/vms/{_vmId}/disks"))
        {
            Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
        }

        await AssertNothingChangedAsync();

        // VM.Config alone suffices to detach (keeping the image) and to change options.
        using (var detach = await oper.DeleteAsync($"/api/v1/vms/{_vmId}/disks/disk0"))
        {
            Assert.Equal(HttpStatusCode.OK, detach.StatusCode);
        }

        Assert.Equal(["detach disk0 keep"], _agent.Calls);
        Assert.True(_agent.HasFile($"{DefaultPool}/{_vmId:D}-disk0.qcow2"));
    }

    [Fact]
    public async Task AttachExisting_NeedsAllocateSpace_AndAnotherVmsImageNeedsVmConfigOnIt_AnUnownedOneDatastoreAllocate()
    {
        var otherVm = await PanelClients.CreateVmAsync(_admin, new { name = "vm2", memoryMiB = 256 });
        var theirs = $"{otherVm:D}-disk5.qcow2";
        var mine = $"{_vmId:D}-disk7.qcow2";
        _agent.AddPoolFile(FastPool, theirs, 1L << 20, 1L << 20);
        _agent.AddPoolFile(FastPool, mine, 1L << 20, 1L << 20);
        _agent.AddPoolFile(FastPool, "upload.qcow2", 1L << 20, 1L << 20);
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.SaveRoleAsync(admin, "PoolSpace", [Privileges.DatastoreAudit, Privileges.DatastoreAllocateSpace]));
        var userId = await PanelAccess.CreateUserAsync(_factory, "tenant");
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.AddAclEntryAsync(admin, AclPaths.Vm(_vmId), userId, null, BuiltInRoles.Operator, propagate: false));
        using var tenant = await PanelAccess.ClientAsync(_factory, "tenant");
        _agent.Calls.Clear();

        // Datastore.Audit (what attaching used to need) is no longer enough, not even for the VM's own image.
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.AddAclEntryAsync(admin, AclPaths.Storage(_fastPoolId), userId, null, BuiltInRoles.Auditor, propagate: false));
        await AssertAttachAsync(tenant, "Existing", mine, HttpStatusCode.Forbidden, $"{Privileges.DatastoreAllocateSpace} on /storage/{_fastPoolId}");

        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.AddAclEntryAsync(admin, AclPaths.Storage(_fastPoolId), userId, null, "PoolSpace", propagate: false));
        await AssertAttachAsync(tenant, "Existing", theirs, HttpStatusCode.Forbidden, "disk image of another VM");
        await AssertAttachAsync(tenant, "Import", theirs, HttpStatusCode.Forbidden, "disk image of another VM");
        await AssertAttachAsync(tenant, "Existing", "upload.qcow2", HttpStatusCode.Forbidden, $"needs {Privileges.DatastoreAllocate} on pool 'fast'");
        Assert.Empty(_agent.Added);
        Assert.Empty(_agent.Calls);

        // Its own image, a copy of an unowned one, and another VM's once the user may configure that VM.
        await AssertAttachAsync(tenant, "Existing", mine, HttpStatusCode.OK, null);
        await AssertAttachAsync(tenant, "Import", "upload.qcow2", HttpStatusCode.OK, null);
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.AddAclEntryAsync(admin, AclPaths.Vm(otherVm), userId, null, BuiltInRoles.Operator, propagate: false));
        await AssertAttachAsync(tenant, "Existing", theirs, HttpStatusCode.OK, null);
        Assert.Equal([$"{FastPool}/{mine}", null, $"{FastPool}/{theirs}"], _agent.Added.Select(a => a.ImportFrom is null ? a.Disk.Path : null));

        // Datastore.Allocate on the pool lets its holder take an unowned image in place.
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.AddAclEntryAsync(admin, AclPaths.Storage(_fastPoolId), userId, null, BuiltInRoles.Administrator, propagate: false));
        await AssertAttachAsync(tenant, "Existing", "upload.qcow2", HttpStatusCode.OK, null);
    }

    private async Task AssertAttachAsync(HttpClient client, string source, string fileName, HttpStatusCode expected, string? says)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/vms/{_vmId}/disks", source == "Import"
            ? new { source, poolId = _fastPoolId, sourcePoolId = _fastPoolId, fileName, importFormat = "Qcow2", format = "Qcow2" } as object
            : new { source, poolId = _fastPoolId, fileName, format = "Qcow2" });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{source} {fileName}: {(int)response.StatusCode} {body}");
        if (says is not null)
        {
            Assert.Contains(says, body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Resize_ShrinkIsRefused_GrowReachesTheHostAndTheInventory()
    {
        using (var shrink = await _admin.PostAsJsonAsync($"/api/v1/vms/{_vmId}/disks/disk0/resize", new { sizeMiB = 512 }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, shrink.StatusCode);
            Assert.Contains("disks can only grow", await shrink.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var same = await _admin.PostAsJsonAsync($"/api/v1/vms/{_vmId}/disks/disk0/resize", new { sizeMiB = 1024 }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, same.StatusCode);
        }

        using (var unknown = await _admin.PostAsJsonAsync($"/api/v1/vms/{_vmId}/disks/disk9/resize", new { sizeMiB = 4096 }))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Contains("has no disk 'disk9'", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await AssertNothingChangedAsync();
        using var grow = await _admin.PostAsJsonAsync($"/api/v1/vms/{_vmId}/disks/disk0/resize", new { sizeMiB = 2048 });

        Assert.Equal(HttpStatusCode.OK, grow.StatusCode);
        Assert.Equal([$"resize disk0 {2L << 30}"], _agent.Calls);
        Assert.Equal(2L << 30, (await VmAsync()).Disks.Single().SizeBytes);
        Assert.Equal(TaskState.Succeeded, (await TaskAsync("vm.disk.resize")).Status);
    }

    [Fact]
    public async Task Move_RelaysProgressWhileRunning_ThenRecordsTheNewPath()
    {
        var observed = new TaskCompletionSource<(double? Progress, DiskAction? Running)>(TaskCreationOptions.RunContinuationsAsynchronously);
        _agent.Holding = async _ =>
        {
            // While the host "copies", the task shows the progress it reported and the VM's disk slot names the disk.
            var task = await WaitForAsync(async () => (await TaskOrNullAsync("vm.disk.move")) is { Progress: 0.5 } t ? t : null);
            observed.SetResult((task.Progress, _factory.Services.GetRequiredService<DiskActivity>().RunningOn(_vmId)));
        };

        await SetStateAsync(VmPowerState.Running);
        using (var whileRunning = await _admin.PostAsJsonAsync($"/api/v1/vms/{_vmId}/disks/disk0/move", new { poolId = _fastPoolId }))
        {
            Assert.Equal(HttpStatusCode.Conflict, whileRunning.StatusCode);
            Assert.Contains("stop it before moving a disk", await whileRunning.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await AssertNothingChangedAsync();
        await SetStateAsync(VmPowerState.Stopped);
        using var response = await _admin.PostAsJsonAsync($"/api/v1/vms/{_vmId}/disks/disk0/move", new { poolId = _fastPoolId, format = "Raw" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (progress, running) = await observed.Task;
        Assert.Equal(0.5, progress);
        Assert.Equal(("disk0", "moving"), (running!.DiskId, running.What));
        var move = Assert.Single(_agent.Moved);
        Assert.Equal((FastPool, DiskFormat.Raw, true), (move.TargetPool, move.TargetFormat!.Value, move.DeleteSource));
        var disk = (await VmAsync()).Disks.Single();
        Assert.Equal(($"{FastPool}/{_vmId:D}-disk0.raw", DiskFormat.Raw), (disk.Path, disk.Format));
        Assert.Null(_factory.Services.GetRequiredService<DiskActivity>().RunningOn(_vmId));

        using var again = await _admin.PostAsJsonAsync($"/api/v1/vms/{_vmId}/disks/disk0/move", new { poolId = _fastPoolId });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("is in pool 'fast' already", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RacingActions_TheSecondIsAConflict_AndChangesNothing()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _agent.Holding = async _ =>
        {
            holding.SetResult();
            await release.Task;
        };
        var first = _admin.PostAsJsonAsync($"/api/v1/vms/{_vmId}/disks", new { source = "New", poolId = _fastPoolId, sizeMiB = 8 });
        await holding.Task;

        using (var second = await _admin.PostAsJsonAsync($"/api/v1/vms/{_vmId}/disks", new { source = "New", poolId = _fastPoolId, sizeMiB = 8 }))
        {
            Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
            Assert.Contains("Another disk action (adding of new disk) is running", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        release.SetResult();
        using var done = await first;
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Single(_agent.Added);
        Assert.Equal(["disk0", "disk1"], (await VmAsync()).Disks.OrderBy(d => d.Position).Select(d => d.DiskId));
    }

    [Fact]
    public async Task Compress_RunningVmIsRefused_StoppedVmIsCompressed_HostFailureIsReported()
    {
        await SetStateAsync(VmPowerState.Running);
        using (var running = await _admin.PostAsync($"/api/v1/vms/{_vmId}/disks/disk0/compress", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, running.StatusCode);
            Assert.Contains("stop it before compressing", await running.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await AssertNothingChangedAsync();
        await SetStateAsync(VmPowerState.Stopped);
        _agent.FailNext = Shared.Agents.AgentReply.Failure(Shared.Agents.AgentErrorKind.Conflict, "The image has 2 snapshots, which compressing would lose.");
        using (var refused = await _admin.PostAsync($"/api/v1/vms/{_vmId}/disks/disk0/compress", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("2 snapshots", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(TaskState.Failed, (await TaskAsync("vm.disk.compress")).Status);
        using var compressed = await _admin.PostAsync($"/api/v1/vms/{_vmId}/disks/disk0/compress", null);

        Assert.Equal(HttpStatusCode.OK, compressed.StatusCode);
        Assert.Contains("256 MiB → 128 MiB on disk", await compressed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_RunningVm_BusAndCacheArePending_LimitsApplyLive_AddAndDetachKeepThePendingDefinitionInStep()
    {
        await SetStateAsync(VmPowerState.Running);

        using (var response = await _admin.PutAsJsonAsync($"/api/v1/vms/{_vmId}/disks/disk0", new { bus = "Scsi", cache = "Writeback", discard = true, ioLimits = new { readIops = 500 } }))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("apply at its next start", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(["limits disk0 500/-"], _agent.Calls);
        var vm = await VmAsync();
        var disk = vm.Disks.Single();
        Assert.Equal((DiskBus.Virtio, DiskCache.None, 500L), (disk.Bus, disk.Cache, disk.ReadIops!.Value));
        var pending = vm.PendingDefinition!.Disks.Single();
        Assert.Equal((DiskBus.Scsi, DiskCache.Writeback, 500L), (pending.Bus, pending.Cache, pending.IoLimits!.ReadIops!.Value));
        Assert.Contains(HardwareChangesOf(vm), c => c.StartsWith("Disk disk0: Virtio, cache none", StringComparison.Ordinal));

        using (var added = await _admin.PostAsJsonAsync($"/api/v1/vms/{_vmId}/disks", new { source = "New", poolId = _fastPoolId, sizeMiB = 8 }))
        {
            Assert.Equal(HttpStatusCode.OK, added.StatusCode);
            Assert.Contains("plugged into the running VM", await added.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        vm = await VmAsync();
        Assert.Equal(["disk0", "disk1"], vm.PendingDefinition!.Disks.Select(d => d.Id));
        using (var detached = await _admin.DeleteAsync($"/api/v1/vms/{_vmId}/disks/disk1?deleteImage=true"))
        {
            Assert.Equal(HttpStatusCode.OK, detached.StatusCode);
        }

        vm = await VmAsync();
        Assert.Equal(["disk0"], vm.PendingDefinition!.Disks.Select(d => d.Id));
        Assert.Equal(["disk0"], vm.Disks.Select(d => d.DiskId));
        Assert.False(_agent.HasFile($"{FastPool}/{_vmId:D}-disk1.qcow2"));

        // Unlimited again: stored as no limits at all.
        using (var unlimited = await _admin.PutAsJsonAsync($"/api/v1/vms/{_vmId}/disks/disk0", new { bus = "Scsi", cache = "Writeback", discard = true, ioLimits = new { } }))
        {
            Assert.Equal(HttpStatusCode.OK, unlimited.StatusCode);
        }

        Assert.Null(VmRecordMapper.ToDefinition(await VmAsync()).Disks.Single().IoLimits);
    }

    [Fact]
    public async Task Options_StoppedVm_RedefinesAtOnce_UnknownBusIsRefused()
    {
        using (var response = await _admin.PutAsJsonAsync($"/api/v1/vms/{_vmId}/disks/disk0", new { bus = "Sata", cache = "Writethrough", discard = false }))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(["define vm1"], _agent.Calls);
        var sent = _agent.Defined[^1].Disks.Single();
        Assert.Equal((DiskBus.Sata, DiskCache.Writethrough, false), (sent.Bus, sent.Cache, sent.Discard));
        var disk = (await VmAsync()).Disks.Single();
        Assert.Equal((DiskBus.Sata, DiskCache.Writethrough, false), (disk.Bus, disk.Cache, disk.Discard));
        Assert.Equal(TaskState.Succeeded, (await TaskAsync("vm.hardware")).Status);

        _agent.Calls.Clear();
        using var bad = await _admin.PutAsync($"/api/v1/vms/{_vmId}/disks/disk0", new StringContent("{\"bus\":9,\"cache\":\"None\",\"discard\":true}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Empty(_agent.Calls);
        Assert.Equal(DiskBus.Sata, (await VmAsync()).Disks.Single().Bus);
    }

    private static IReadOnlyList<string> HardwareChangesOf(VmRecord vm) => WebVirt.Web.Vms.HardwareChanges.Between(VmRecordMapper.ToDefinition(vm), vm.PendingDefinition!);

    private async Task AssertNothingChangedAsync()
    {
        Assert.DoesNotContain(_agent.Calls, c => !c.StartsWith("keys", StringComparison.Ordinal));
        var vm = await VmAsync();
        Assert.Equal(["disk0"], vm.Disks.Select(d => d.DiskId));
        Assert.Equal($"{DefaultPool}/{_vmId:D}-disk0.qcow2", vm.Disks.Single().Path);
        Assert.Null(vm.PendingDefinition);
        await using var db = await Contexts().CreateDbContextAsync();
        Assert.False(await db.Tasks.AnyAsync(t => t.Kind.StartsWith("vm.disk.") && t.Status == TaskState.Succeeded));
    }

    private async Task<VmRecord> VmAsync()
    {
        await using var db = await Contexts().CreateDbContextAsync();
        return await db.Vms.AsNoTracking().Include(v => v.Disks).SingleAsync(v => v.Id == _vmId);
    }

    private async Task<TaskRecord> TaskAsync(string kind) => (await TaskOrNullAsync(kind))!;

    private async Task<TaskRecord?> TaskOrNullAsync(string kind)
    {
        await using var db = await Contexts().CreateDbContextAsync();
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.Kind == kind).ToListAsync();
        return tasks.OrderByDescending(t => t.StartedAt).FirstOrDefault();
    }

    private async Task SetStateAsync(VmPowerState state)
    {
        await using var db = await Contexts().CreateDbContextAsync();
        await db.Vms.Where(v => v.Id == _vmId).ExecuteUpdateAsync(s => s.SetProperty(v => v.ActualState, state).SetProperty(v => v.DesiredState, state));
    }

    /// <summary>Polls until <paramref name="probe"/> finds something (a background step of the panel), failing after a generous wait.</summary>
    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        for (var i = 0; i < 600; i++)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The panel did not reach the expected state within 30 s.");
    }

    private IDbContextFactory<WebVirtDbContext> Contexts() => _factory.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>();

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        _admin.Dispose();
        _factory.Dispose();
    }
}
