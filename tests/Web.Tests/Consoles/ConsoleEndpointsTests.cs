using System.Net.WebSockets;
using System.Text;
using WebVirt.Shared.Tunnels;
using WebVirt.Web.Consoles;

namespace WebVirt.Web.Tests.Consoles;

/// <summary>Every way in without the right ticket and cookie is refused before a tunnel opens: nothing is relayed.</summary>
public sealed class ConsoleEndpointsTests : IAsyncLifetime
{
    private ConsolePanel _panel = null!;

    public async Task InitializeAsync() => _panel = await ConsolePanel.StartAsync();

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Fact]
    public async Task ValidTicketAndCookie_RelaysToTheAgentsTunnel()
    {
        var cookie = await _panel.CookieAsync("admin");
        var ticket = await _panel.TicketAsync("admin", _panel.VmA);

        using var socket = await _panel.ConnectAsync(_panel.VmA, "vnc", ticket, cookie);
        await socket.SendAsync("RFB 003.008\n"u8.ToArray(), WebSocketMessageType.Binary, true, CancellationToken.None);
        var buffer = new byte[64];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);

        Assert.Equal("RFB 003.008\n", Encoding.ASCII.GetString(buffer, 0, received.Count));
        var request = Assert.Single(_panel.Agent.Requests);
        Assert.Equal(_panel.VmA, request.VmId);
        Assert.Equal(TunnelKind.Vnc, request.Kind);
    }

    [Fact]
    public async Task NoTicket_IsRefused()
    {
        var cookie = await _panel.CookieAsync("admin");

        await AssertRefusedAsync(() => _panel.ConnectAsync(_panel.VmA, "vnc", ticket: null, cookie), "403");
    }

    [Fact]
    public async Task ReusedTicket_IsRefused()
    {
        var cookie = await _panel.CookieAsync("admin");
        var ticket = await _panel.TicketAsync("admin", _panel.VmA);
        using (var first = await _panel.ConnectAsync(_panel.VmA, "vnc", ticket, cookie))
        {
            await first.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }

        var relayedBefore = _panel.Agent.Relayed;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _panel.ConnectAsync(_panel.VmA, "vnc", ticket, cookie));

        Assert.Contains("403", error.Message);
        Assert.Single(_panel.Agent.Requests);
        Assert.Equal(relayedBefore, _panel.Agent.Relayed);
    }

    [Fact]
    public async Task ExpiredTicket_IsRefused()
    {
        var cookie = await _panel.CookieAsync("admin");
        var ticket = await _panel.TicketAsync("admin", _panel.VmA);

        _panel.Clock.Advance(ConsoleTickets.Lifetime + TimeSpan.FromSeconds(1));

        await AssertRefusedAsync(() => _panel.ConnectAsync(_panel.VmA, "vnc", ticket, cookie), "403");
    }

    [Fact]
    public async Task AnotherUsersTicket_IsRefused()
    {
        var cookie = await _panel.CookieAsync("admin2");
        var ticket = await _panel.TicketAsync("admin", _panel.VmA);

        await AssertRefusedAsync(() => _panel.ConnectAsync(_panel.VmA, "vnc", ticket, cookie), "403");
    }

    [Fact]
    public async Task TicketForAnotherVm_IsRefused()
    {
        var cookie = await _panel.CookieAsync("admin");
        var ticket = await _panel.TicketAsync("admin", _panel.VmB);

        await AssertRefusedAsync(() => _panel.ConnectAsync(_panel.VmA, "vnc", ticket, cookie), "403");
    }

    [Fact]
    public async Task TicketForAnotherKindOfConsole_IsRefused()
    {
        var cookie = await _panel.CookieAsync("admin");
        var ticket = await _panel.TicketAsync("admin", _panel.VmA, TunnelKind.Serial);

        await AssertRefusedAsync(() => _panel.ConnectAsync(_panel.VmA, "vnc", ticket, cookie), "403");
    }

    [Fact]
    public async Task TicketWithoutTheCookie_IsRefused()
    {
        var ticket = await _panel.TicketAsync("admin", _panel.VmA);

        await AssertRefusedAsync(() => _panel.ConnectAsync(_panel.VmA, "vnc", ticket, cookie: null), "401");
    }

    [Fact]
    public async Task CrossSiteOrigin_IsRefused()
    {
        var cookie = await _panel.CookieAsync("admin");
        var ticket = await _panel.TicketAsync("admin", _panel.VmA);

        await AssertRefusedAsync(() => _panel.ConnectAsync(_panel.VmA, "vnc", ticket, cookie, origin: "https://evil.example"), "403");
    }

    [Fact]
    public async Task UserWithoutVmConsole_GetsNoTicketAndNoConsole()
    {
        var cookie = await _panel.CookieAsync("operator");

        var ticket = await _panel.Tickets.IssueAsync(await _panel.PrincipalAsync("operator"), _panel.VmA, TunnelKind.Vnc);

        Assert.Null(ticket);
        await AssertRefusedAsync(() => _panel.ConnectAsync(_panel.VmA, "vnc", "made-up-ticket", cookie), "403");
    }

    [Fact]
    public async Task UnknownConsoleKind_IsNotFound()
    {
        var cookie = await _panel.CookieAsync("admin");
        var ticket = await _panel.TicketAsync("admin", _panel.VmA);

        await AssertRefusedAsync(() => _panel.ConnectAsync(_panel.VmA, "upload", ticket, cookie), "404");
    }

    private async Task AssertRefusedAsync(Func<Task<WebSocket>> connect, string status)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(connect);

        Assert.Contains(status, error.Message);
        Assert.Empty(_panel.Agent.Requests);
        Assert.Equal(0, _panel.Agent.Connected);
        Assert.Equal(0, _panel.Agent.Relayed);
    }
}
