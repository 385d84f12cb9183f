using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Web.Auth;
using WebVirt.Web.Permissions;
using WebVirt.Web.Tasks;
using WebVirt.Web.Tests.Inventory;
using WebVirt.Web.Tests.Permissions;

namespace WebVirt.Web.Tests.Tasks;

public sealed class TaskFeedTests : IAsyncLifetime
{
    private static readonly Guid VisibleVm = Guid.NewGuid();
    private static readonly Guid HiddenVm = Guid.NewGuid();

    private InventoryDatabase _database = null!;
    private TaskFeed _feed = null!;
    private TaskLog _tasks = null!;

    public async Task InitializeAsync()
    {
        _database = await InventoryDatabase.CreateAsync(services => services.AddSingleton<PermissionService>().AddSingleton<TaskFeed>());
        _feed = _database.Services.GetRequiredService<TaskFeed>();
        _tasks = _database.Services.GetRequiredService<TaskLog>();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Recent_LimitedScope_SeesOnlyTasksOnItsVms()
    {
        var seen = await _tasks.StartAsync("vm.start", "vm", VisibleVm.ToString(), "web01", "alice");
        _database.Clock.Advance(TimeSpan.FromSeconds(1));
        var hidden = await _tasks.StartAsync("vm.start", "vm", HiddenVm.ToString(), "secret", "bob");
        var host = await _tasks.StartAsync("host.create", "host", Guid.NewGuid().ToString(), "node2", "admin");

        var scope = new TaskScope(new HashSet<Guid> { VisibleVm }, OtherTargets: false);
        Assert.Equal([seen.Id], (await _feed.RecentAsync(scope, 50)).Select(t => t.Id));
        Assert.NotNull(await _feed.FindAsync(scope, seen.Id));
        Assert.Null(await _feed.FindAsync(scope, hidden.Id));
        Assert.Null(await _feed.FindAsync(scope, host.Id));

        var auditor = new TaskScope(new HashSet<Guid> { VisibleVm }, OtherTargets: true);
        Assert.Equal([host.Id, seen.Id], (await _feed.RecentAsync(auditor, 50)).Select(t => t.Id).OrderBy(id => id == seen.Id));
    }

    [Fact]
    public async Task Recent_Administrator_SeesEverythingNewestFirstUpToTheCount()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await _tasks.StartAsync("vm.start", "vm", Guid.NewGuid().ToString(), $"vm{i}", "admin")).Id);
            _database.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var access = new AccessFixture(_database);
        var admin = await access.UserAsync("admin");
        await access.GrantAsync(AclPaths.Root, admin, Roles.Administrator);
        var scope = await _feed.ScopeOfAsync(admin);
        Assert.Null(scope.Vms);
        Assert.True(scope.OtherTargets);
        Assert.Equal(Enumerable.Reverse(ids).Take(3), (await _feed.RecentAsync(scope, 3)).Select(t => t.Id));
    }

    [Fact]
    public async Task Lines_AfterASequence_ReturnsOnlyTheNewOnes()
    {
        var task = await _tasks.StartAsync("vm.start", "vm", VisibleVm.ToString(), "web01", "alice");
        await _tasks.AppendAsync(task.Id, "one");
        await _tasks.AppendAsync(task.Id, "two");
        await _tasks.AppendAsync(task.Id, "three");

        Assert.Equal(["two", "three"], (await _feed.LinesAsync(task.Id, 1)).Select(l => l.Text));
    }
}
