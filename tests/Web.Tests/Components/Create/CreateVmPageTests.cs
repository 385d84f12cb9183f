using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Web.Inventory;
using WebVirt.Web.Components.Pages.Create;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Components.Create;

/// <summary>The wizard's inline validation, rendered by bUnit against the real panel's (empty) inventory.</summary>
public sealed class CreateVmPageTests : IAsyncLifetime
{
    private readonly PanelFactory _panel = new();
    private readonly BunitContext _context;

    public CreateVmPageTests() => _context = ComponentContext.Create(_panel);

    [Fact]
    public void NoName_SubmitIsDisabledWithAMessage()
    {
        var page = Render();

        Assert.True(Submit(page).HasAttribute("disabled"));
        Assert.Contains("A name is required", page.Markup, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bad name!", "Use letters, digits")]
    [InlineData("-daemonize", "Use letters, digits")]
    public void BadName_SubmitIsDisabledWithAMessage(string name, string message)
    {
        var page = Render();

        ComponentContext.Input(page, "create-name").Input(name);

        // MudBlazor may finish the input's validation on a later render: wait for it instead of reading once.
        page.WaitForAssertion(() => Assert.Contains(message, page.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.True(Submit(page).HasAttribute("disabled"));
    }

    [Fact]
    public void GoodName_EnablesSubmit_ThenBadIsoPathOrTooManyVcpusDisablesIt()
    {
        var page = Render();

        ComponentContext.Input(page, "create-name").Input("web01");
        Assert.False(Submit(page).HasAttribute("disabled"));

        ComponentContext.Input(page, "create-iso").Input("../etc/shadow");
        Assert.True(Submit(page).HasAttribute("disabled"));
        Assert.Contains("must be an absolute path", page.Markup, StringComparison.Ordinal);

        ComponentContext.Input(page, "create-iso").Input("/srv/iso/debian.iso");
        Assert.False(Submit(page).HasAttribute("disabled"));

        ComponentContext.Input(page, "create-sockets").Input("200");
        ComponentContext.Input(page, "create-cores").Input("2");
        Assert.True(Submit(page).HasAttribute("disabled"));
        Assert.Contains("At most 288 vCPUs", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void TooManyVcpus_TheErrorStaysAfterTheFieldsLoseFocus()
    {
        var page = Render();
        ComponentContext.Input(page, "create-name").Input("web01");

        ComponentContext.Input(page, "create-sockets").Input("200");
        ComponentContext.Input(page, "create-cores").Input("2");
        ComponentContext.Input(page, "create-sockets").Blur();
        ComponentContext.Input(page, "create-cores").Blur();

        page.WaitForAssertion(() => Assert.Contains("At most 288 vCPUs", page.Find("[data-testid=create-cpu-error]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.True(Submit(page).HasAttribute("disabled"));
    }

    [Fact]
    public void ZeroMemory_StaysZero_WithAnErrorThatDisablesSubmit()
    {
        var page = Render();
        ComponentContext.Input(page, "create-name").Input("web01");

        ComponentContext.Input(page, "create-memory").Input("0");

        page.WaitForAssertion(() => Assert.Contains("Between 16 and", page.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Equal("0", ComponentContext.Input(page, "create-memory").GetAttribute("value"));
        Assert.True(Submit(page).HasAttribute("disabled"));
    }

    [Fact]
    public void MoreMemoryThanTheHostHas_IsRefused_AndSubmitIsDisabled()
    {
        var page = Render();
        ComponentContext.Input(page, "create-name").Input("web01");

        ComponentContext.Input(page, "create-memory").Input("1048576");

        page.WaitForAssertion(() => Assert.Contains("is more than the 23.5 GiB of physical memory of host 'node1'", page.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Equal("1048576", ComponentContext.Input(page, "create-memory").GetAttribute("value"));
        Assert.True(Submit(page).HasAttribute("disabled"));
    }

    [Fact]
    public void MoreThanTheHostHasFree_IsAWarningOnly_OvercommitIsAllowed()
    {
        var page = Render();
        ComponentContext.Input(page, "create-name").Input("web01");

        ComponentContext.Input(page, "create-memory").Input("8192");

        page.WaitForAssertion(() => Assert.Contains("More than the host has free (3.5 GiB of 23.5 GiB", page.Find("[data-testid=create-memory-warning]").TextContent, StringComparison.Ordinal));
        Assert.False(Submit(page).HasAttribute("disabled"));

        ComponentContext.Input(page, "create-memory").Input("2048");
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=create-memory-warning]")));
    }

    private IRenderedComponent<CreateVmPage> Render() => _context.Render<CreateVmPage>();

    private static AngleSharp.Dom.IElement Submit(IRenderedComponent<CreateVmPage> page) => page.Find("[data-testid=create-submit]");

    // The wizard offers only hosts the user may create VMs on; the empty inventory gets one.
    public async Task InitializeAsync()
    {
        var contexts = _panel.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        // 23.5 GiB, of which a running VM takes 20 GiB.
        var host = new HostRecord { Id = Guid.NewGuid(), Name = "node1", TokenHash = "x", ImagePool = "/var/lib/webvirt/images", MemoryBytes = 47L << 29 };
        db.Hosts.Add(host);
        db.Vms.Add(new VmRecord { Id = Guid.NewGuid(), HostId = host.Id, Name = "big", MemoryMiB = 20 * 1024, ActualState = WebVirt.Shared.Vms.VmPowerState.Running });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        _panel.Dispose();
    }
}
