using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using WebVirt.Shared.Hosts;
using WebVirt.Shared.Vms;
using WebVirt.TestSupport;
using WebVirt.Web.Auth;
using WebVirt.Web.Components.Shared;
using WebVirt.Web.Hosting;
using WebVirt.Web.Inventory;

namespace WebVirt.Bench.Dashboard;

/// <summary>
/// The real panel's services (AddWebVirtPanel, the same registration Program uses) on a real SQLite file,
/// without HTTP and without an agent: what a dashboard circuit runs against.
/// </summary>
internal sealed class BenchPanel : IAsyncDisposable
{
    private readonly TempFolder _folder = new("wvbd");
    private WebApplication _app = default!;

    // The bootstrap administrator: privileges come from ACL entries on the user's id, so the principal carries it.
    private ClaimsPrincipal _admin = default!;

    public Guid HostId { get; } = Guid.NewGuid();

    public IServiceProvider Services => _app.Services;

    public IDbContextFactory<WebVirtDbContext> Contexts => Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>();

    public InventoryNotifier Notifier => Services.GetRequiredService<InventoryNotifier>();

    public static async Task<BenchPanel> StartAsync()
    {
        var panel = new BenchPanel();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Panel:ConnectionStrings:Inventory"] = $"Data Source={panel._folder.Combine("webvirt.db")}",
            ["Agent:Embedded"] = "false",
            ["WEBVIRT_ADMIN_PASSWORD"] = "bench-password-long-enough",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddWebVirtPanel();
        panel._app = builder.Build();
        await panel._app.InitializeWebVirtAsync();
        await panel.AddHostAsync();
        panel._admin = await panel.AdminAsync();
        return panel;
    }

    /// <summary>Adds <paramref name="count"/> VMs (one disk, one NIC, tags, mixed states) named vm-0000… in one transaction.</summary>
    public async Task SeedAsync(int count, int firstIndex = 0)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        string[] tags = ["web", "db", "prod", "test", "batch"];
        for (var i = firstIndex; i < firstIndex + count; i++)
        {
            var id = Guid.NewGuid();
            var state = (i % 3) switch { 0 => VmPowerState.Stopped, 1 => VmPowerState.Running, _ => VmPowerState.Paused };
            db.Vms.Add(new VmRecord
            {
                Id = id,
                HostId = HostId,
                Name = $"vm-{i:D4}",
                Description = $"Seeded VM {i}",
                Tags = [tags[i % tags.Length], tags[(i / 5) % tags.Length]],
                Cores = 1 + i % 4,
                MemoryMiB = 256 << (i % 4),
                ActualState = state,
                DesiredState = state == VmPowerState.Stopped ? VmPowerState.Stopped : VmPowerState.Running,
                QemuStatus = state.ToString().ToLowerInvariant(),
                CreatedAt = DateTimeOffset.UtcNow,
                Disks = [new DiskRecord { DiskId = "disk0", Path = $"/var/lib/webvirt/images/{id:D}-disk0.qcow2", SizeBytes = 8L << 30 }],
                Nics = [new NicRecord { NicId = "net0", MacAddress = $"52:54:00:{i >> 16 & 0xff:x2}:{i >> 8 & 0xff:x2}:{i & 0xff:x2}" }],
            });
        }

        await db.SaveChangesAsync();

        // Written behind the panel's back: tell it, as the create path does, and wait until the shared row
        // snapshot that every dashboard reads holds them (it reloads off the notifier's thread).
        var total = await db.Vms.CountAsync();
        var snapshot = Services.GetRequiredService<VmRowSnapshot>();
        Notifier.NotifyAccessChanged();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await snapshot.RowsAsync()).Count != total)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"The panel's VM snapshot did not pick up the {count} seeded VMs.");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Flips a VM between running and stopped in the database, as a state report from its agent would.</summary>
    public async Task<VmPowerState> FlipStateAsync(Guid vmId)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var vm = await db.Vms.SingleAsync(v => v.Id == vmId);
        vm.ActualState = vm.ActualState == VmPowerState.Running ? VmPowerState.Stopped : VmPowerState.Running;
        await db.SaveChangesAsync();
        return vm.ActualState;
    }

    public async Task<int> RunningCountAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        return await db.Vms.CountAsync(v => v.ActualState == VmPowerState.Running);
    }

    public async Task<Guid> VmIdAsync(string name)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        return await db.Vms.Where(v => v.Name == name).Select(v => v.Id).SingleAsync();
    }

    /// <summary>A scope like a circuit's, signed in as an administrator, with navigation set up as a page request would.</summary>
    public AsyncServiceScope NewCircuitScope()
    {
        var scope = Services.CreateAsyncScope();
        ((IHostEnvironmentAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>())
            .SetAuthenticationState(Task.FromResult(new AuthenticationState(_admin)));
        if (scope.ServiceProvider.GetRequiredService<NavigationManager>() is IHostEnvironmentNavigationManager navigation)
        {
            navigation.Initialize("http://bench/", "http://bench/");
        }

        return scope;
    }

    public HtmlRenderer NewRenderer(IServiceProvider scope) => new(scope, Services.GetRequiredService<ILoggerFactory>());

    private async Task<ClaimsPrincipal> AdminAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var id = await db.Users.Where(u => u.UserName == AdminBootstrap.AdminUserName).Select(u => u.Id).SingleAsync();
        return new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, id), new Claim(ClaimTypes.Name, AdminBootstrap.AdminUserName), new Claim(ClaimTypes.Role, Roles.Administrator)], "bench"));
    }

    private async Task AddHostAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        db.Hosts.Add(new HostRecord
        {
            Id = HostId,
            Name = "node1",
            TokenHash = new string('0', 64),
            TokenCreatedAt = DateTimeOffset.UtcNow,
            Connected = true,
            CpuModel = "Bench CPU",
            CpuThreads = 64,
            MemoryBytes = 256L << 30,
            Accelerator = Accelerator.Kvm,
            AcceleratorReason = "bench",
            StorageTotalBytes = 4L << 40,
            StorageFreeBytes = 2L << 40,
        });
        await db.SaveChangesAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
