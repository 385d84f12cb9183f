using System.Security.Claims;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Shared.Vms;
using WebVirt.Web.Components.Pages.Vms.Disks;
using WebVirt.Web.Disks;
using WebVirt.Web.Inventory;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Components.Vms;

/// <summary>
/// The disks table of the Hardware tab against the real panel's inventory and permissions, with the VM's host offline:
/// what each row shows, which actions are offered, and why the others are not.
/// </summary>
public sealed class VmDisksTests : IAsyncLifetime
{
    private readonly PanelFactory _panel = new();
    private readonly BunitContext _context;
    private ClaimsPrincipal _admin = default!;
    private Guid _hostId;

    public VmDisksTests() => _context = ComponentContext.Create(_panel);

    public async Task InitializeAsync()
    {
        _admin = await PanelAccess.AdminPrincipalAsync(_panel);
        await using var db = await Contexts().CreateDbContextAsync();
        var host = new HostRecord { Id = Guid.NewGuid(), Name = "node1", TokenHash = "unused", ImagePool = "/srv/images" };
        _hostId = host.Id;
        db.Hosts.Add(host);
        db.StoragePools.Add(new StoragePool { Id = Guid.NewGuid(), HostId = host.Id, Name = "default", Path = "/srv/images", ContentTypes = StorageContent.Images });
        db.StoragePools.Add(new StoragePool { Id = Guid.NewGuid(), HostId = host.Id, Name = "fast", Path = "/srv/fast", ContentTypes = StorageContent.Images });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task StoppedVm_RowShowsTheDisk_AndEveryActionIsOffered()
    {
        var vm = await VmAsync(VmPowerState.Stopped);

        var disks = Render(vm, canConfigure: true);

        disks.WaitForAssertion(() => Assert.Single(disks.FindAll("[data-testid=disk-row]")));
        Assert.Equal("disk0", disks.Find("[data-testid=disk-id]").TextContent);
        Assert.Equal("default", disks.Find("[data-testid=disk-pool]").TextContent);
        Assert.Equal($"{vm.Id:D}-disk0.qcow2", disks.Find("[data-testid=disk-file]").TextContent);
        Assert.Equal("2 GiB", disks.Find("[data-testid=disk-size]").TextContent);
        Assert.Equal("writeback", disks.Find("[data-testid=disk-cache]").TextContent);
        Assert.Equal("read 200 IOPS", disks.Find("[data-testid=disk-limits]").TextContent);
        Assert.Single(disks.FindAll("[data-testid=disk-encrypted]"));
        Assert.Contains("offline", disks.Find("[data-testid=disks-problem]").TextContent, StringComparison.Ordinal);
        foreach (var action in new[] { "disk-add", "disk-resize", "disk-move", "disk-compress", "disk-edit", "disk-detach", "disk-delete" })
        {
            Assert.False(disks.Find($"[data-testid={action}]").HasAttribute("disabled"), $"{action} is disabled");
        }
    }

    [Fact]
    public async Task RunningVm_CompressAndMoveAreDisabled_WithTheReason()
    {
        var vm = await VmAsync(VmPowerState.Running);

        var disks = Render(vm, canConfigure: true);

        disks.WaitForAssertion(() => Assert.Single(disks.FindAll("[data-testid=disk-row]")));
        Assert.True(disks.Find("[data-testid=disk-compress]").HasAttribute("disabled"));
        Assert.True(disks.Find("[data-testid=disk-move]").HasAttribute("disabled"));
        Assert.False(disks.Find("[data-testid=disk-resize]").HasAttribute("disabled"));
        Assert.Contains(disks.FindComponents<MudBlazor.MudTooltip>(), t => t.Instance.Text == "Stop the VM first: compressing rewrites the image.");
    }

    [Fact]
    public async Task WithoutVmConfig_NothingIsOffered_AndTheTooltipSaysWhy()
    {
        var vm = await VmAsync(VmPowerState.Stopped);

        var disks = Render(vm, canConfigure: false);

        disks.WaitForAssertion(() => Assert.Single(disks.FindAll("[data-testid=disk-row]")));
        foreach (var action in new[] { "disk-add", "disk-resize", "disk-move", "disk-compress", "disk-edit", "disk-detach", "disk-delete" })
        {
            Assert.True(disks.Find($"[data-testid={action}]").HasAttribute("disabled"), $"{action} is enabled");
        }

        Assert.Contains(disks.FindComponents<MudBlazor.MudTooltip>(), t => t.Instance.Text == "You may not change this VM's disks (VM.Config is needed).");
    }

    [Fact]
    public async Task RunningDiskAction_ShowsInlineProgressOnItsRow_AndHoldsTheOtherActions()
    {
        var vm = await VmAsync(VmPowerState.Stopped);
        var activity = _panel.Services.GetRequiredService<DiskActivity>();
        var action = new DiskAction(Guid.NewGuid(), vm.Id, "disk0", "moving");
        Assert.True(activity.TryBegin(action, out _));

        var disks = Render(vm, canConfigure: true);

        disks.WaitForAssertion(() => Assert.Contains("Moving disk0", disks.Find("[data-testid=disk-row-progress]").TextContent, StringComparison.Ordinal));
        Assert.True(disks.Find("[data-testid=disk-add]").HasAttribute("disabled"));
        Assert.True(disks.Find("[data-testid=disk-detach]").HasAttribute("disabled"));
        activity.End(action);
    }

    private IRenderedComponent<VmDisks> Render(VmRecord vm, bool canConfigure) =>
        _context.Render<VmDisks>(p => p.Add(d => d.Vm, vm).Add(d => d.User, _admin).Add(d => d.CanConfigure, canConfigure));

    private async Task<VmRecord> VmAsync(VmPowerState state)
    {
        var vm = new VmRecord { Id = Guid.NewGuid(), HostId = _hostId, Name = "vm1", MemoryMiB = 256, ActualState = state, HasCdrom = true };
        vm.Disks.Add(new DiskRecord
        {
            DiskId = "disk0",
            Path = $"/srv/images/{vm.Id:D}-disk0.qcow2",
            Cache = DiskCache.Writeback,
            Encrypted = true,
            ReadIops = 200,
            SizeBytes = 2L << 30,
        });
        await using var db = await Contexts().CreateDbContextAsync();
        db.Vms.Add(vm);
        await db.SaveChangesAsync();
        return vm;
    }

    private IDbContextFactory<WebVirtDbContext> Contexts() => _panel.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>();

    public async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        _panel.Dispose();
    }
}
