using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Storage;
using WebVirt.Web.Backups;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;
using WebVirt.Web.Tasks;
using WebVirt.Web.Tests.Agents;
using WebVirt.Web.Tests.Hosting;
using WebVirt.Web.Tests.Inventory;

namespace WebVirt.Web.Tests.Backups;

/// <summary>
/// A backup schedule runs in the name of the user who saved it and re-checks that user's access at every run: once
/// the user loses VM.Backup or Datastore.AllocateSpace, or is disabled, the schedule makes no backup and leaves a
/// failed task saying why. The panel's own scheduler is taken out so the test decides when schedules run.
/// </summary>
public sealed class BackupScheduleAccessTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new();
    private readonly PanelFactory _factory;
    private readonly List<Guid> _backedUp = [];
    private HttpClient _admin = null!;
    private FakeAgent _agent = null!;
    private Guid _vmId;
    private Guid _storageId;
    private string _userId = null!;

    public BackupScheduleAccessTests()
    {
        _factory = new PanelFactory
        {
            TestServices = services =>
            {
                var scheduler = services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(BackupScheduler));
                services.Remove(scheduler);
            },
        };
    }

    public async Task InitializeAsync()
    {
        _admin = await PanelClients.AdminAsync(_factory);
        var host = await PanelClients.CreateHostAsync(_admin, "worker");
        _agent = new FakeAgent(_factory, host.Token);
        _agent.OnBackup(request =>
        {
            lock (_backedUp)
            {
                _backedUp.Add(request.VmUuid);
            }

            return AgentReply.Success();
        });
        _agent.OnListPools(() => new PoolListReply(AgentReply.Success(), []));
        await _agent.ConnectAsync();
        await _agent.RegisterAsync();
        _vmId = await PanelClients.CreateVmAsync(_admin, new { name = "web01", hostId = host.Id, memoryMiB = 256 });
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.CreatePoolAsync(admin, "frontend", "web servers"));
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.SetVmPoolAsync(admin, _vmId, "frontend"));
        await using (var db = await ContextAsync())
        {
            _storageId = (await db.StoragePools.SingleAsync(p => p.HostId == host.Id)).Id;
        }

        _userId = await PanelAccess.CreateUserAsync(_factory, "ops");
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.AddAclEntryAsync(admin, "/pools/frontend", _userId, null, BuiltInRoles.Operator, propagate: true));
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.AddAclEntryAsync(admin, $"/storage/{_storageId}", _userId, null, BuiltInRoles.Administrator, propagate: false));
        using var ops = await PanelAccess.ClientAsync(_factory, "ops");
        using var saved = await ops.PutAsJsonAsync($"/api/v1/vms/{_vmId}/backups/schedule", new { everyHours = 1, keepLast = 3 });
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RunDue_OwnerStillPermitted_BacksUpInTheOwnersName()
    {
        Assert.Equal(1, await RunDueInAnHourAsync());

        Assert.Equal([_vmId], _backedUp);
        var task = await LastBackupTaskAsync();
        Assert.Equal(TaskState.Succeeded, task.Status);
        Assert.Equal("ops (schedule)", task.UserName);
    }

    [Fact]
    public async Task RunDue_OwnerLostSpaceOnTheBackupPool_MakesNoBackup_AndFailsItsTask()
    {
        await RemoveGrantAsync($"/storage/{_storageId}");

        Assert.Equal(1, await RunDueInAnHourAsync());

        Assert.Empty(_backedUp);
        var task = await LastBackupTaskAsync();
        Assert.Equal(TaskState.Failed, task.Status);
        Assert.Contains(Privileges.DatastoreAllocateSpace, task.Error, StringComparison.Ordinal);
        Assert.Contains("ops", task.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunDue_OwnerLostVmBackup_MakesNoBackup()
    {
        await RemoveGrantAsync("/pools/frontend");

        await RunDueInAnHourAsync();

        Assert.Empty(_backedUp);
        Assert.Contains(Privileges.VmBackup, (await LastBackupTaskAsync()).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunDue_OwnerDisabled_MakesNoBackup_AndRunsAgainOnceEnabled()
    {
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.SetUserEnabledAsync(admin, _userId, enabled: false));
        await RunDueInAnHourAsync();
        Assert.Empty(_backedUp);
        Assert.Equal(TaskState.Failed, (await LastBackupTaskAsync()).Status);

        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.SetUserEnabledAsync(admin, _userId, enabled: true));
        await RunDueInAnHourAsync();
        Assert.Equal([_vmId], _backedUp);
    }

    /// <summary>Moves the clock past the schedule's next run and runs what is due, as the panel's scheduler does.</summary>
    private async Task<int> RunDueInAnHourAsync()
    {
        await using (var db = await ContextAsync())
        {
            await db.BackupSchedules.ExecuteUpdateAsync(set => set.SetProperty(s => s.NextRunAt, _clock.GetUtcNow()));
        }

        _clock.Advance(TimeSpan.FromMinutes(1));
        var scheduler = ActivatorUtilities.CreateInstance<BackupScheduler>(_factory.Services, (TimeProvider)_clock);
        return await scheduler.RunDueAsync(CancellationToken.None);
    }

    private async Task RemoveGrantAsync(string path)
    {
        Guid entryId;
        await using (var db = await ContextAsync())
        {
            entryId = await db.AclEntries.Where(e => e.UserId == _userId && e.Path == path).Select(e => e.Id).SingleAsync();
        }

        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.RemoveAclEntryAsync(admin, entryId));
    }

    private async Task<TaskRecord> LastBackupTaskAsync()
    {
        await using var db = await ContextAsync();
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.Kind == "vm.backup").ToListAsync();
        return tasks.OrderBy(t => t.StartedAt).Last();
    }

    private Task<WebVirtDbContext> ContextAsync() =>
        _factory.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>().CreateDbContextAsync();

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _agent.DisposeAsync();
        _factory.Dispose();
    }
}
