using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Shared.Vms;
using WebVirt.Web.Components.Pages.Vms.Hardware;
using WebVirt.Web.Inventory;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Components.Vms;

/// <summary>How the hardware tab shows changes that wait for the next start.</summary>
public sealed class VmHardwareTabTests : IAsyncLifetime
{
    private readonly PanelFactory _panel = new();
    private readonly BunitContext _context;

    public VmHardwareTabTests() => _context = ComponentContext.Create(_panel);

    [Fact]
    public void RunningVmWithPendingChanges_ListsThemAsApplyingAtNextStart_AndMarksTheFields()
    {
        var vm = Vm(VmPowerState.Running);
        vm.PendingDefinition = VmRecordMapper.ToDefinition(vm) with
        {
            MemoryMiB = 512,
            Cpu = new CpuTopology { Sockets = 1, Cores = 2 },
        };

        var tab = Render(vm);

        var pending = tab.Find("[data-testid=hardware-pending]");
        Assert.Contains("Pending: applies at next start", pending.TextContent, StringComparison.Ordinal);
        var changes = tab.FindAll("[data-testid=hardware-pending-change]").Select(c => c.TextContent).ToList();
        Assert.Contains("Memory: 256 MiB → 512 MiB", changes);
        Assert.Contains(changes, c => c.StartsWith("CPU: 1 × 1 × 1 (1 vCPUs)", StringComparison.Ordinal) && c.Contains("1 × 2 × 1 (2 vCPUs)", StringComparison.Ordinal));
        Assert.Equal(2, changes.Count);
        Assert.Single(tab.FindAll(".wv-pending-field [data-testid=hw-memory]"));
        Assert.Single(tab.FindAll(".wv-pending-field [data-testid=hw-cores]"));
        Assert.Empty(tab.FindAll(".wv-pending-field [data-testid=hw-sockets]"));
        Assert.Equal("512", ComponentContext.Input(tab, "hw-memory").GetAttribute("value"));
        Assert.Contains("Save as pending", tab.Find("[data-testid=hardware-save]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cdrom_OffersTheIsosOfTheHostsPools_AndTheChoiceIsSaved()
    {
        var vm = Vm(VmPowerState.Running);
        var contexts = _panel.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            var host = new HostRecord { Id = Guid.NewGuid(), Name = "node1", TokenHash = "unused", ImagePool = "/srv/images" };
            var pool = new StoragePool { Id = Guid.NewGuid(), HostId = host.Id, Name = "isos", Path = "/srv/iso", ContentTypes = StorageContent.Iso };
            db.Hosts.Add(host);
            db.StoragePools.Add(pool);
            db.IsoImages.Add(new IsoImage { Id = Guid.NewGuid(), PoolId = pool.Id, FileName = "debian.iso", SizeBytes = 1 << 20 });
            vm.HostId = host.Id;
            db.Vms.Add(vm);
            await db.SaveChangesAsync();
        }

        var admin = await PanelAccess.AdminPrincipalAsync(_panel);
        var tab = _context.Render<VmHardwareTab>(p => p.Add(t => t.Vm, vm).Add(t => t.User, admin));
        Assert.Equal("Empty drive", ComponentContext.Input(tab, "hw-iso").GetAttribute("value"));

        var select = tab.FindComponents<MudBlazor.MudSelect<string>>()
            .Single(s => s.Instance.UserAttributes.TryGetValue("data-testid", out var id) && Equals(id, "hw-iso"));
        await select.InvokeAsync(() => select.Instance.SelectOption("/srv/iso/debian.iso"));
        tab.WaitForAssertion(() => Assert.Equal("debian.iso (isos)", ComponentContext.Input(tab, "hw-iso").GetAttribute("value")));
        await tab.Find("[data-testid=hardware-save]").ClickAsync(new());

        await using var check = await contexts.CreateDbContextAsync();
        var saved = await check.Vms.SingleAsync(v => v.Id == vm.Id);
        Assert.Equal("/srv/iso/debian.iso", saved.PendingDefinition?.Cdrom?.IsoPath);
    }

    [Fact]
    public void NoPendingChanges_NoPendingList()
    {
        var tab = Render(Vm(VmPowerState.Running));

        Assert.Empty(tab.FindAll("[data-testid=hardware-pending]"));
        Assert.Equal("256", ComponentContext.Input(tab, "hw-memory").GetAttribute("value"));
    }

    [Fact]
    public void StoppedVm_SaveAppliesAtOnce()
    {
        var tab = Render(Vm(VmPowerState.Stopped));

        Assert.Contains("Apply", tab.Find("[data-testid=hardware-save]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidEdit_ShowsTheValidatorsErrorInline_AndDisablesSave()
    {
        var tab = Render(Vm(VmPowerState.Stopped));

        ComponentContext.Input(tab, "hw-sockets").Change("300");

        Assert.Contains("cpu: ", tab.Find("[data-testid=hardware-errors]").TextContent, StringComparison.Ordinal);
        Assert.True(tab.Find("[data-testid=hardware-save]").HasAttribute("disabled"));
    }

    [Fact]
    public void BadPortForward_ShowsWhatIsWrong()
    {
        var tab = Render(Vm(VmPowerState.Stopped));

        ComponentContext.Input(tab, "hw-port-forwards").Input("tcp:2222");

        // The field's input event re-renders the tab through the renderer's dispatcher: on a busy machine the
        // error list appears a render later, so wait for that render rather than reading the markup at once.
        tab.WaitForAssertion(() => Assert.Contains("'tcp:2222' is not", tab.Find("[data-testid=hardware-errors]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }

    private IRenderedComponent<VmHardwareTab> Render(VmRecord vm) =>
        _context.Render<VmHardwareTab>(p => p.Add(t => t.Vm, vm).Add(t => t.User, ComponentContext.Admin));

    private static VmRecord Vm(VmPowerState state)
    {
        var vm = new VmRecord { Id = Guid.NewGuid(), Name = "vm1", MemoryMiB = 256, ActualState = state, HasCdrom = true };
        vm.Nics.Add(new NicRecord { NicId = "net0", MacAddress = "52:54:00:12:34:56" });
        return vm;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        _panel.Dispose();
    }
}
