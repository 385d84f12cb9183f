// bench/permissions: what the permission filter adds to listing VMs, with 1000 VMs on 4 hosts in 20 pools,
// 200 users in 10 groups and an ACL entry per pool, user and group, on a real SQLite file. Measured: the
// filter a list call makes (VmsWithAsync for a pool operator, from the cache) and the same after every
// cache drop (load + resolve); baseline: the query every VM list makes anyway (all VM ids), same process.
using System.Diagnostics;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.TestSupport;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;

var runs = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 200;
using var folder = new TempFolder("wvbp");
var configuration = new ConfigurationBuilder()
    .AddInMemoryCollection(new Dictionary<string, string?> { [InventoryOptions.ConnectionStringKey] = $"Data Source={folder.Combine("webvirt.db")}" })
    .Build();
var services = new ServiceCollection().AddLogging();
services.AddInventory(configuration);
await using var provider = services.BuildServiceProvider();
await provider.InitializeInventoryAsync();
var contexts = provider.GetRequiredService<IDbContextFactory<WebVirtDbContext>>();
var notifier = provider.GetRequiredService<InventoryNotifier>();

var users = Enumerable.Range(0, 200).Select(i => new WebVirtUser { Id = Guid.NewGuid().ToString(), UserName = $"user{i}", NormalizedUserName = $"USER{i}" }).ToList();
await using (var db = await contexts.CreateDbContextAsync())
{
    var hosts = Enumerable.Range(0, 4).Select(i => new HostRecord { Id = Guid.NewGuid(), Name = $"node{i}", TokenHash = $"{i:x64}" }).ToList();
    var pools = Enumerable.Range(0, 20).Select(i => new ResourcePool { Name = $"pool{i}" }).ToList();
    var groups = Enumerable.Range(0, 10).Select(i => new AccessGroup { Id = Guid.NewGuid(), Name = $"group{i}" }).ToList();
    db.Hosts.AddRange(hosts);
    db.ResourcePools.AddRange(pools);
    db.Users.AddRange(users);
    db.AccessGroups.AddRange(groups);
    for (var i = 0; i < 1000; i++)
    {
        var vm = new VmRecord { Id = Guid.NewGuid(), HostId = hosts[i % 4].Id, Name = $"vm{i}" };
        db.Vms.Add(vm);
        db.PoolMembers.Add(new PoolMember { VmId = vm.Id, PoolName = pools[i % 20].Name });
    }

    for (var i = 0; i < users.Count; i++)
    {
        db.AccessGroupMembers.Add(new AccessGroupMember { GroupId = groups[i % 10].Id, UserId = users[i].Id });
        db.AclEntries.Add(new AclEntry { Id = Guid.NewGuid(), Path = AclPaths.Pool(pools[i % 20].Name), UserId = users[i].Id, RoleName = BuiltInRoles.Operator });
    }

    foreach (var group in groups)
    {
        db.AclEntries.Add(new AclEntry { Id = Guid.NewGuid(), Path = AclPaths.Host(hosts[0].Id), GroupId = group.Id, RoleName = BuiltInRoles.Auditor, Propagate = false });
    }

    await db.SaveChangesAsync();
}

using var permissions = new PermissionService(contexts, notifier);
var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, users[7].Id)], "bench"));
var visible = await permissions.VmsWithAsync(user, Privileges.VmAudit);
Console.WriteLine($"user7 (Operator on pool7) sees {visible?.Count} of 1000 VMs");

var baseline = await MeasureAsync(async () =>
{
    await using var db = await contexts.CreateDbContextAsync();
    _ = await db.Vms.AsNoTracking().Select(v => v.Id).ToListAsync();
});
var cached = await MeasureAsync(async () => _ = await permissions.VmsWithAsync(user, Privileges.VmAudit));
var cold = await MeasureAsync(async () =>
{
    notifier.NotifyAccessChanged();
    _ = await permissions.VmsWithAsync(user, Privileges.VmAudit);
});

Console.WriteLine();
Console.WriteLine($"permissions ({runs} runs each, median): list VM ids {baseline:F3} ms, filter cached {cached:F3} ms, filter after a change {cold:F3} ms");
Console.WriteLine($"ratio cached/list {cached / baseline:F2}, ratio after-change/list {cold / baseline:F2}");

async Task<double> MeasureAsync(Func<Task> action)
{
    for (var i = 0; i < 5; i++)
    {
        await action();
    }

    var times = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        var clock = Stopwatch.StartNew();
        await action();
        times.Add(clock.Elapsed.TotalMilliseconds);
    }

    times.Sort();
    return times[times.Count / 2];
}
