using System.Net.WebSockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Consoles;

/// <summary>An open console ends soon after its user is disabled, or loses VM.Console, through the real endpoint.</summary>
public sealed class ConsoleAccessEndTests : IAsyncLifetime
{
    /// <summary>Far above the 1 s check interval; the wait ends as soon as the relay closes.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private ConsolePanel _panel = null!;

    public async Task InitializeAsync() => _panel = await ConsolePanel.StartAsync(new Dictionary<string, string> { ["Security:SessionCheckSeconds"] = "1" });

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Fact]
    public async Task DisablingTheUser_EndsTheirOpenConsole()
    {
        using var socket = await OpenAsync("admin2");
        var userId = await UserIdAsync("admin2");

        await PanelAccess.AsAdminAsync(_panel.Factory, (access, admin) => access.SetUserEnabledAsync(admin, userId, enabled: false));

        await AssertEndsAsync(socket);
    }

    [Fact]
    public async Task TakingVmConsoleAway_EndsTheOpenConsole_AndOthersStay()
    {
        var userId = await UserIdAsync("operator");
        await PanelAccess.AsAdminAsync(_panel.Factory, (access, admin) =>
            access.AddAclEntryAsync(admin, AclPaths.Vm(_panel.VmA), userId, null, BuiltInRoles.Operator, propagate: false));
        using var operatorSocket = await OpenAsync("operator");
        using var adminSocket = await OpenAsync("admin2");
        Guid entry;
        await using (var db = await _panel.Factory.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>().CreateDbContextAsync())
        {
            entry = await db.AclEntries.Where(e => e.UserId == userId).Select(e => e.Id).SingleAsync();
        }

        await PanelAccess.AsAdminAsync(_panel.Factory, (access, admin) => access.RemoveAclEntryAsync(admin, entry));

        await AssertEndsAsync(operatorSocket);
        Assert.Equal(WebSocketState.Open, adminSocket.State);
        await adminSocket.SendAsync("still here"u8.ToArray(), WebSocketMessageType.Binary, true, CancellationToken.None);
        var buffer = new byte[64];
        using var timeout = new CancellationTokenSource(Bound);
        Assert.Equal("still here".Length, (await adminSocket.ReceiveAsync(buffer, timeout.Token)).Count);
    }

    [Fact]
    public async Task RevokingTheHost_EndsTheConsolesItRelays()
    {
        using var socket = await OpenAsync("admin2");
        Guid hostId;
        await using (var db = await _panel.Factory.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>().CreateDbContextAsync())
        {
            hostId = await db.Vms.Where(v => v.Id == _panel.VmA).Select(v => v.HostId).SingleAsync();
        }

        var admin = await PanelAccess.AdminPrincipalAsync(_panel.Factory);
        using (var scope = _panel.Factory.Services.CreateScope())
        {
            var revoked = await scope.ServiceProvider.GetRequiredService<WebVirt.Web.Agents.HostRegistration>().RevokeAsync(admin, hostId);
            Assert.True(revoked.Succeeded, revoked.Message);
        }

        await AssertEndsAsync(socket);
    }

    private async Task<WebSocket> OpenAsync(string userName)
    {
        var cookie = await _panel.CookieAsync(userName);
        var ticket = await _panel.TicketAsync(userName, _panel.VmA);
        var socket = await _panel.ConnectAsync(_panel.VmA, "vnc", ticket, cookie);

        // The relay runs: the echoing agent answers.
        await socket.SendAsync("RFB 003.008\n"u8.ToArray(), WebSocketMessageType.Binary, true, CancellationToken.None);
        using var timeout = new CancellationTokenSource(Bound);
        Assert.True((await socket.ReceiveAsync(new byte[64], timeout.Token)).Count > 0);
        return socket;
    }

    private async Task<string> UserIdAsync(string userName)
    {
        await using var db = await _panel.Factory.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>().CreateDbContextAsync();
        return await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
    }

    /// <summary>The relay closes: the next receive sees the end (a close frame or a dropped connection), not more bytes.</summary>
    private static async Task AssertEndsAsync(WebSocket socket)
    {
        using var timeout = new CancellationTokenSource(Bound);
        try
        {
            var result = await socket.ReceiveAsync(new byte[64], timeout.Token);
            Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException)
        {
            // The panel dropped the connection without a close frame: ended too.
        }
    }
}
