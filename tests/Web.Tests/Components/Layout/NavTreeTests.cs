using System.Security.Claims;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Web.Auth;
using WebVirt.Web.Components.Layout;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions.Administration;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Components.Layout;

/// <summary>The left tree's pools view, rendered by bUnit against the real panel's inventory, permissions and notifier.</summary>
public sealed class NavTreeTests : IAsyncLifetime
{
    private readonly PanelFactory _panel = new();
    private readonly BunitContext _context;
    private Guid _host;

    public NavTreeTests() => _context = ComponentContext.Create(_panel);

    [Fact]
    public async Task PoolsGroup_ListsEachPoolWithItsVmsAsLinks_VmsInNoPoolOnlyUnderTheirHost()
    {
        var web01 = await VmAsync("web01", "Web");
        var web02 = await VmAsync("web02", "Web");
        var db01 = await VmAsync("db01", "data");
        await VmAsync("lone", null);

        var tree = _context.Render<NavTree>();

        Assert.Equal(["data: db01", "Web: web01, web02"], Names(tree));
        Assert.Equal([$"/vms/{db01}", $"/vms/{web01}", $"/vms/{web02}"], Pools(tree).SelectMany(p => p.Vms.Select(v => v.Href)));
        Assert.Contains("lone", tree.Find("[data-testid=nav-host]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoVmInAPool_NoPoolsGroup()
    {
        await VmAsync("lone", null);

        var tree = _context.Render<NavTree>();

        Assert.Empty(tree.FindAll("[data-testid=nav-pools]"));
        Assert.Contains("lone", tree.Find("[data-testid=nav-host]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PoolsGroup_FollowsPoolChangesAndVmChangesLive()
    {
        var web01 = await VmAsync("web01", "Web");
        var lone = await VmAsync("lone", null);
        var tree = _context.Render<NavTree>();
        Assert.Equal(["Web: web01"], Names(tree));

        // Through the admin service, as the pools page does: it raises an access change.
        var administration = _context.Services.GetRequiredService<AccessAdministration>();
        Assert.True((await administration.CreatePoolAsync(await AdminAsync(), "data", null)).Succeeded);
        Assert.True((await administration.SetVmPoolAsync(await AdminAsync(), lone, "data")).Succeeded);
        tree.WaitForAssertion(() => Assert.Equal(["data: lone", "Web: web01"], Names(tree)));

        // A VM change re-reads that one VM: the renamed VM keeps its place in its pool.
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            (await db.Vms.SingleAsync(v => v.Id == web01)).Name = "web01-renamed";
            await db.SaveChangesAsync();
        }

        _panel.Services.GetRequiredService<InventoryNotifier>().NotifyVmChanged(web01);
        tree.WaitForAssertion(() => Assert.Equal(["data: lone", "Web: web01-renamed"], Names(tree)));

        Assert.True((await administration.SetVmPoolAsync(await AdminAsync(), lone, null)).Succeeded);
        tree.WaitForAssertion(() => Assert.Equal(["Web: web01-renamed"], Names(tree)));
    }

    [Fact]
    public async Task ThousandVms_OnlyTheLinksInTheDrawerAreRendered_TheLastOnesWhenScrolledToTheEnd()
    {
        await ManyVmsAsync(1000, "big");
        var viewport = new DrawerViewport(_context);
        var tree = _context.Render<NavTree>();

        // Until the browser reports the drawer, no VM link is rendered; the host and pool groups are.
        Assert.Empty(tree.FindAll("a[href^='/vms/']"));
        Assert.Single(tree.FindAll("[data-testid=nav-host]"));
        Assert.Single(tree.FindAll("[data-testid=nav-pool]"));

        // A drawer 640 px tall: each list renders a window of 20 links and its overscan, from the first VM.
        await viewport.ShowAsync(tree, 640, atEnd: false);
        var hostLinks = HostLinkNames(tree);
        Assert.InRange(hostLinks.Count, 20, 60);
        Assert.Equal("vm-0000", hostLinks[0]);
        Assert.InRange(tree.FindAll("[data-testid=nav-pool-vm]").Count, 20, 60);

        await viewport.ShowAsync(tree, 640, atEnd: true);
        hostLinks = HostLinkNames(tree);
        Assert.InRange(hostLinks.Count, 20, 60);
        Assert.Equal("vm-0999", hostLinks[^1]);
        Assert.DoesNotContain("vm-0000", hostLinks);
    }

    [Fact]
    public async Task ThousandVms_AStateChangeRendersOnlyThatVmsLink()
    {
        await ManyVmsAsync(1000, pool: null);
        var viewport = new DrawerViewport(_context);
        var tree = _context.Render<NavTree>();
        await viewport.ShowAsync(tree, 640, atEnd: false);
        var links = tree.FindComponents<NavVmLink>();
        var renders = links.ToDictionary(l => l.Instance.Vm.Id, l => l.RenderCount);
        var changed = links[3].Instance.Vm.Id;
        Assert.Equal("Stopped", Title(tree, changed));

        await using (var db = await Contexts.CreateDbContextAsync())
        {
            (await db.Vms.SingleAsync(v => v.Id == changed)).ActualState = WebVirt.Shared.Vms.VmPowerState.Running;
            await db.SaveChangesAsync();
        }

        _panel.Services.GetRequiredService<InventoryNotifier>().NotifyVmChanged(changed);
        tree.WaitForAssertion(() => Assert.Equal("Running", Title(tree, changed)));

        var after = tree.FindComponents<NavVmLink>().ToDictionary(l => l.Instance.Vm.Id, l => l.RenderCount);
        Assert.Equal(renders.Keys.Order(), after.Keys.Order());
        Assert.Equal([changed], after.Where(a => a.Value != renders[a.Key]).Select(a => a.Key));
    }

    [Fact]
    public async Task UserWhoSeesSomeVms_OnlyThoseAreListed_AndTheirStateChangesShowInPlace()
    {
        var seen = await VmAsync("seen", "Web");
        await VmAsync("seen-too", "Web");
        var hidden = await VmAsync("hidden", "Web");
        var userId = await AuditorOfAsync("seen", "seen-too");
        await using var context = ComponentContext.Create(_panel, userId);
        var tree = context.Render<NavTree>();
        Assert.Equal(["Web: seen, seen-too"], Names(tree));
        Assert.DoesNotContain("hidden", tree.Find("[data-testid=nav-host]").TextContent, StringComparison.Ordinal);
        var renders = RenderCounts(tree);

        await SetStateAsync(hidden, WebVirt.Shared.Vms.VmPowerState.Running);
        await SetStateAsync(seen, WebVirt.Shared.Vms.VmPowerState.Running);
        tree.WaitForAssertion(() => Assert.Equal("Running", Title(tree, seen)));

        // Only the changed VM's two links (host and pool) rendered again; the hidden VM stayed hidden.
        var after = RenderCounts(tree);
        Assert.Equal(renders.Keys.Order(), after.Keys.Order());
        Assert.Equal([seen, seen], after.Where(a => a.Value != renders[a.Key]).Select(a => a.Key.Vm));
        Assert.Empty(tree.FindAll($"a[href='/vms/{hidden}']"));
    }

    private static Dictionary<(Guid Vm, string? TestId), int> RenderCounts(IRenderedComponent<NavTree> tree) =>
        tree.FindComponents<NavVmLink>().ToDictionary(l => (l.Instance.Vm.Id, l.Instance.TestId), l => l.RenderCount);

    private async Task SetStateAsync(Guid vm, WebVirt.Shared.Vms.VmPowerState state)
    {
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            (await db.Vms.SingleAsync(v => v.Id == vm)).ActualState = state;
            await db.SaveChangesAsync();
        }

        _panel.Services.GetRequiredService<InventoryNotifier>().NotifyVmChanged(vm);
    }

    /// <summary>A new user holding the Auditor role on those VMs (by name); their id.</summary>
    private async Task<string> AuditorOfAsync(params string[] vms)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var user = new WebVirtUser { Id = Guid.NewGuid().ToString(), UserName = "auditor", NormalizedUserName = "AUDITOR" };
        db.Users.Add(user);
        foreach (var vm in await db.Vms.Where(v => vms.Contains(v.Name)).Select(v => v.Id).ToListAsync())
        {
            db.AclEntries.Add(new WebVirt.Web.Permissions.AclEntry
            {
                Id = Guid.NewGuid(), Path = WebVirt.Web.Permissions.AclPaths.Vm(vm), UserId = user.Id, RoleName = WebVirt.Web.Permissions.BuiltInRoles.Auditor,
            });
        }

        await db.SaveChangesAsync();
        _panel.Services.GetRequiredService<WebVirt.Web.Permissions.PermissionService>().NotifyChanged();
        return user.Id;
    }

    [Fact]
    public async Task HostGoesOffline_ItsVmsShowUnknownWithSinceWhen_NeverRunning_AndTheirStateAgainWhenItIsBack()
    {
        var web01 = await VmAsync("web01", "Web");
        var lone = await VmAsync("lone", null);
        await SetStateAsync(web01, WebVirt.Shared.Vms.VmPowerState.Running);
        await SetStateAsync(lone, WebVirt.Shared.Vms.VmPowerState.Running);
        var tree = _context.Render<NavTree>();
        tree.WaitForAssertion(() => Assert.Equal("Running", Title(tree, web01)));

        var lastSeen = new DateTimeOffset(2026, 11, 30, 8, 15, 0, TimeSpan.Zero);
        await SetHostAsync(connected: false, lastSeen);
        var since = lastSeen.ToLocalTime().ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        tree.WaitForAssertion(() =>
        {
            Assert.Equal($"Unknown (host offline since {since})", Title(tree, web01));
            Assert.Equal($"Unknown (host offline since {since})", Title(tree, lone));
        });

        // The same VM under its pool says the same, and nothing anywhere in the tree says Running.
        var poolLink = tree.Find($"[data-testid=nav-pool-vm][href='/vms/{web01}']");
        Assert.Equal(nameof(WebVirt.Shared.Vms.VmPowerState.Unknown), poolLink.GetAttribute("data-state"));
        Assert.DoesNotContain(tree.FindAll("a[href^='/vms/']"), a => a.GetAttribute("data-state") == nameof(WebVirt.Shared.Vms.VmPowerState.Running));

        await SetHostAsync(connected: true, DateTimeOffset.UtcNow);
        tree.WaitForAssertion(() => Assert.Equal("Running", Title(tree, web01)));
    }

    private async Task SetHostAsync(bool connected, DateTimeOffset lastSeen)
    {
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            await db.Hosts.Where(h => h.Id == _host).ExecuteUpdateAsync(s => s.SetProperty(h => h.Connected, connected).SetProperty(h => h.LastSeenAt, lastSeen));
        }

        _panel.Services.GetRequiredService<InventoryNotifier>().NotifyHostChanged(_host);
    }

    private static List<string> HostLinkNames(IRenderedComponent<NavTree> tree) =>
        [.. tree.FindAll("[data-testid=nav-host-vm]").Select(a => a.TextContent.Trim())];

    /// <summary>The state shown on a VM's link (its tooltip).</summary>
    private static string? Title(IRenderedComponent<NavTree> tree, Guid vm) =>
        tree.Find($"[data-testid=nav-host-vm][href='/vms/{vm}'] span[title]").GetAttribute("title");

    /// <summary>Adds vm-0000… on the host in one transaction, all in <paramref name="pool"/> when given.</summary>
    private async Task ManyVmsAsync(int count, string? pool)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        if (pool is not null)
        {
            db.ResourcePools.Add(new WebVirt.Web.Permissions.ResourcePool { Name = pool });
        }

        for (var i = 0; i < count; i++)
        {
            var vm = new VmRecord { Id = Guid.NewGuid(), HostId = _host, Name = $"vm-{i:D4}", MemoryMiB = 256, ActualState = WebVirt.Shared.Vms.VmPowerState.Stopped };
            db.Vms.Add(vm);
            if (pool is not null)
            {
                db.PoolMembers.Add(new WebVirt.Web.Permissions.PoolMember { VmId = vm.Id, PoolName = pool });
            }
        }

        await db.SaveChangesAsync();
    }

    private IDbContextFactory<WebVirtDbContext> Contexts => _panel.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>();

    private static List<(string Name, List<(string Name, string Href)> Vms)> Pools(IRenderedComponent<NavTree> tree) =>
    [
        .. tree.FindAll("[data-testid=nav-pool]").Select(pool => (
            pool.QuerySelector(".mud-nav-link-text")!.TextContent.Trim(),
            pool.QuerySelectorAll("a[href^='/vms/']").Select(a => (a.TextContent.Trim(), a.GetAttribute("href")!)).ToList())),
    ];

    /// <summary>Each pool as "pool: vm, vm", easy to compare.</summary>
    private static List<string> Names(IRenderedComponent<NavTree> tree) =>
        [.. Pools(tree).Select(p => $"{p.Name}: {string.Join(", ", p.Vms.Select(v => v.Name))}")];

    private async Task<ClaimsPrincipal> AdminAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var id = (await db.Users.SingleAsync(u => u.UserName == AdminBootstrap.AdminUserName)).Id;
        return new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id), new Claim(ClaimTypes.Name, AdminBootstrap.AdminUserName)], "test"));
    }

    private async Task<Guid> VmAsync(string name, string? pool)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var vm = new VmRecord { Id = Guid.NewGuid(), HostId = _host, Name = name, MemoryMiB = 256 };
        db.Vms.Add(vm);
        if (pool is not null)
        {
            if (await db.ResourcePools.FindAsync(pool) is null)
            {
                db.ResourcePools.Add(new WebVirt.Web.Permissions.ResourcePool { Name = pool });
            }

            db.PoolMembers.Add(new WebVirt.Web.Permissions.PoolMember { VmId = vm.Id, PoolName = pool });
        }

        await db.SaveChangesAsync();
        return vm.Id;
    }

    public async Task InitializeAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        // Its agent is connected: the states shown are the ones stored (an offline host's VMs are Unknown).
        var host = new HostRecord { Id = Guid.NewGuid(), Name = "node1", TokenHash = "x", ImagePool = "/var/lib/webvirt/images", Connected = true };
        db.Hosts.Add(host);
        await db.SaveChangesAsync();
        _host = host.Id;
    }

    public async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        _panel.Dispose();
    }
}
