using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Shared.Vms;
using WebVirt.Web.Auth;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;
using WebVirt.Web.Search;
using WebVirt.Web.Tests.Inventory;
using WebVirt.Web.Tests.Permissions;

namespace WebVirt.Web.Tests.Search;

public sealed class InventorySearchTests : IAsyncLifetime
{
    // Privileges come from ACL entries on the user's id; this one holds Administrator on "/".
    private ClaimsPrincipal _admin = null!;
    private static readonly ClaimsPrincipal Nobody = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "eve")], "test"));

    private InventoryDatabase _database = null!;
    private InventorySearch _search = null!;
    private HostRecord _alpha = null!;

    public async Task InitializeAsync()
    {
        _database = await InventoryDatabase.CreateAsync(services => services.AddSingleton<PermissionService>().AddSingleton<InventorySearch>());
        _search = _database.Services.GetRequiredService<InventorySearch>();
        var access = new AccessFixture(_database);
        _admin = await access.UserAsync("admin");
        await access.GrantAsync(AclPaths.Root, _admin, Roles.Administrator);
        _alpha = await _database.AddHostAsync("alpha-node");
        var beta = await _database.AddHostAsync("beta");
        await AddVmAsync(_alpha.Id, "web01", VmPowerState.Running);
        await AddVmAsync(_alpha.Id, "db_main", VmPowerState.Stopped);
        await AddVmAsync(beta.Id, "mail", VmPowerState.Running);
        await AddVmAsync(beta.Id, "web", VmPowerState.Paused);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Find_ByName_PutsTheExactNameFirst()
    {
        var hits = await _search.FindAsync(_admin, "WEB");
        Assert.Equal(["web", "web01"], hits.Select(h => h.Name));
        Assert.All(hits, h => Assert.Equal(SearchHitKind.Vm, h.Kind));
        Assert.Equal($"/vms/{hits[0].Id}", hits[0].Href);
    }

    [Fact]
    public async Task Find_ByHostName_FindsItsVmsAndTheHost()
    {
        var hits = await _search.FindAsync(_admin, "alpha");
        Assert.Equal(["db_main", "web01", "alpha-node"], hits.Select(h => h.Name));
        Assert.Equal(SearchHitKind.Host, hits[^1].Kind);
    }

    [Fact]
    public async Task Find_ByState_FindsTheVmsInIt()
    {
        var hits = await _search.FindAsync(_admin, "running");
        Assert.Equal(["mail", "web01"], hits.Select(h => h.Name));
        Assert.All(hits, h => Assert.Equal(VmPowerState.Running, h.State));
    }

    [Fact]
    public async Task Find_Underscore_IsALiteralCharacter()
    {
        var hits = await _search.FindAsync(_admin, "b_m");
        Assert.Equal(["db_main"], hits.Select(h => h.Name));
        Assert.Empty(await _search.FindAsync(_admin, "w_b"));
    }

    [Fact]
    public async Task Find_UserWithoutRights_FindsNothing()
    {
        Assert.Empty(await _search.FindAsync(Nobody, "web"));
        Assert.Empty(await _search.FindAsync(Nobody, "alpha"));
    }

    [Fact]
    public async Task Find_Blank_FindsNothing() =>
        Assert.Empty(await _search.FindAsync(_admin, "  "));

    private async Task AddVmAsync(Guid hostId, string name, VmPowerState state)
    {
        var record = new VmRecord { HostId = hostId, Name = "", CreatedAt = _database.Clock.GetUtcNow() };
        VmRecordMapper.ApplyDefinition(record, SampleVms.Minimal(name));
        record.ActualState = state;
        await using var db = await _database.OpenAsync();
        db.Vms.Add(record);
        await db.SaveChangesAsync();
    }
}
