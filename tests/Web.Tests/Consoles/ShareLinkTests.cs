using System.Net.WebSockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Web.Consoles;
using WebVirt.Web.Inventory;
using static WebVirt.Web.Tests.Consoles.RfbMessages;

namespace WebVirt.Web.Tests.Consoles;

/// <summary>
/// Console share links through the real <c>/share/{token}/vnc</c> endpoint and the echoing agent's tunnel: no
/// account needed, expired and revoked links refused with nothing relayed, view-only enforced by the panel.
/// </summary>
public sealed class ShareLinkTests : IAsyncLifetime
{
    private ConsolePanel _panel = null!;

    private ConsoleShareLinks Links => _panel.Factory.Services.GetRequiredService<ConsoleShareLinks>();

    public async Task InitializeAsync() => _panel = await ConsolePanel.StartAsync();

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Fact]
    public async Task InteractiveLink_RelaysInputWithoutAnAccount()
    {
        var created = await CreateAsync(viewOnly: false);
        var sent = Concat(Handshake, SetPixelFormat, KeyEventReturnDown, PointerEventClick, FramebufferUpdateRequest);

        using var socket = await ConnectAsync(created.Token);
        await socket.SendAsync(sent, WebSocketMessageType.Binary, true, CancellationToken.None);
        var echoed = await ReceiveAsync(socket, sent.Length);

        Assert.Equal(sent, echoed);
        Assert.Equal(_panel.VmA, Assert.Single(_panel.Agent.Requests).VmId);
        var use = await AuditAsync("console.share.vnc");
        Assert.True(use.Success);
        Assert.Equal(ConsoleShareLinks.ViewerName(created.Link), use.UserName);
    }

    [Fact]
    public async Task ViewOnlyLink_DropsKeyPointerAndClipboard_PassesWhatTheViewerNeeds()
    {
        var created = await CreateAsync(viewOnly: true);

        using var socket = await ConnectAsync(created.Token);
        // Input first, then a request: the echo shows exactly what reached the VM's side of the tunnel.
        foreach (var message in new[] { Handshake, SetPixelFormat, KeyEventReturnDown, QemuKeyEventReturnDown, PointerEventClick, ClientCutTextHello, FramebufferUpdateRequest })
        {
            await socket.SendAsync(message, WebSocketMessageType.Binary, true, CancellationToken.None);
        }

        var expected = Concat(Handshake, SetPixelFormat, FramebufferUpdateRequest);
        var echoed = await ReceiveAsync(socket, expected.Length);

        Assert.Equal(expected, echoed);
    }

    [Fact]
    public async Task ViewOnlyLink_AnUnknownMessage_ClosesTheConnection()
    {
        var created = await CreateAsync(viewOnly: true);

        using var socket = await ConnectAsync(created.Token);
        await socket.SendAsync(Concat(Handshake, [42, 0, 0, 0]), WebSocketMessageType.Binary, true, CancellationToken.None);

        await AssertEndsAsync(socket);
    }

    [Fact]
    public async Task ExpiredLink_IsRefused_NothingRelayed_UseAudited()
    {
        var created = await CreateAsync(viewOnly: false, TimeSpan.FromHours(1));

        _panel.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        await AssertRefusedAsync(created.Token);
        var use = await AuditAsync("console.share.vnc");
        Assert.False(use.Success);
        Assert.Contains("expired", use.Details);
    }

    [Fact]
    public async Task RevokedLink_IsRefused_AndNoLongerListed()
    {
        var created = await CreateAsync(viewOnly: false);

        await Links.RevokeAsync(await _panel.PrincipalAsync("admin"), created.Link.Id);

        await AssertRefusedAsync(created.Token);
        Assert.Empty(await Links.ActiveAsync(await _panel.PrincipalAsync("admin"), _panel.VmA));
        Assert.Contains("revoked", (await AuditAsync("console.share.vnc")).Details);
    }

    [Fact]
    public async Task RevokingALink_CutsOffItsViewers()
    {
        var created = await CreateAsync(viewOnly: false);
        var other = await CreateAsync(viewOnly: false);
        using var socket = await ConnectAsync(created.Token);
        using var otherSocket = await ConnectAsync(other.Token);
        foreach (var open in new[] { socket, otherSocket })
        {
            await open.SendAsync(ProtocolVersion38, WebSocketMessageType.Binary, true, CancellationToken.None);
            await ReceiveAsync(open, ProtocolVersion38.Length);
        }

        await Links.RevokeAsync(await _panel.PrincipalAsync("admin2"), created.Link.Id);

        await AssertEndsAsync(socket);
        // Another link's viewer (made in the same instant) stays connected.
        await otherSocket.SendAsync(SetPixelFormat, WebSocketMessageType.Binary, true, CancellationToken.None);
        Assert.Equal(SetPixelFormat, await ReceiveAsync(otherSocket, SetPixelFormat.Length));
    }

    [Fact]
    public async Task UnknownOrMalformedToken_IsRefused()
    {
        await AssertRefusedAsync(ConsoleShareLinks.TokenPrefix + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        await AssertRefusedAsync("not-a-token");
    }

    [Fact]
    public async Task CrossSiteOrigin_IsRefused()
    {
        var created = await CreateAsync(viewOnly: false);

        await AssertRefusedAsync(created.Token, origin: "https://evil.example");
    }

    [Fact]
    public async Task UserWithoutPrivileges_CannotCreateOrList()
    {
        await CreateAsync(viewOnly: false);
        var operatorUser = await _panel.PrincipalAsync("operator");

        await Assert.ThrowsAsync<ShareLinkException>(() => Links.CreateAsync(operatorUser, _panel.VmA, viewOnly: true, TimeSpan.FromHours(1)));

        Assert.Empty(await Links.ActiveAsync(operatorUser, _panel.VmA));
        Assert.Single(await Links.ActiveAsync(await _panel.PrincipalAsync("admin"), _panel.VmA));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(7 * 24 + 1)]
    public async Task LifetimeOutsideTheLimits_IsRefused_NothingStored(int hours)
    {
        var admin = await _panel.PrincipalAsync("admin");

        await Assert.ThrowsAsync<ShareLinkException>(() => Links.CreateAsync(admin, _panel.VmA, viewOnly: true, TimeSpan.FromHours(hours)));


        await using var db = await Contexts.CreateDbContextAsync();
        Assert.Empty(await db.ConsoleShareLinks.ToListAsync());
    }

    [Fact]
    public async Task OnlyTheTokensHashIsStored()
    {
        var created = await CreateAsync(viewOnly: true);

        await using var db = await Contexts.CreateDbContextAsync();
        var stored = await db.ConsoleShareLinks.SingleAsync();
        Assert.NotEqual(created.Token, stored.TokenHash);
        Assert.DoesNotContain(created.Token[ConsoleShareLinks.TokenPrefix.Length..], stored.TokenHash, StringComparison.Ordinal);
        Assert.Equal(SecretTokensHash(created.Token), stored.TokenHash);
        Assert.Equal(43, created.Token.Length - ConsoleShareLinks.TokenPrefix.Length);
    }

    private IDbContextFactory<WebVirtDbContext> Contexts => _panel.Factory.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>();

    private static string SecretTokensHash(string token) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    private async Task<CreatedShareLink> CreateAsync(bool viewOnly, TimeSpan? lifetime = null) =>
        await Links.CreateAsync(await _panel.PrincipalAsync("admin"), _panel.VmA, viewOnly, lifetime ?? TimeSpan.FromHours(1));

    private Task<WebSocket> ConnectAsync(string token, string origin = "http://localhost")
    {
        var client = _panel.Factory.Server.CreateWebSocketClient();
        client.ConfigureRequest = request => request.Headers.Origin = origin;
        return client.ConnectAsync(new Uri($"ws://localhost{ShareEndpoints.SocketPath(token)}"), CancellationToken.None);
    }

    private async Task AssertRefusedAsync(string token, string origin = "http://localhost")
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ConnectAsync(token, origin));

        Assert.Contains("403", error.Message);
        Assert.Empty(_panel.Agent.Requests);
        Assert.Equal(0, _panel.Agent.Relayed);
    }

    private async Task<WebVirt.Web.Tasks.AuditEntry> AuditAsync(string action)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var entries = await db.AuditEntries.AsNoTracking().Where(a => a.Action == action).ToListAsync();
        return entries.OrderBy(a => a.At).ThenBy(a => a.Id).Last();
    }

    private static async Task<byte[]> ReceiveAsync(WebSocket socket, int count)
    {
        var buffer = new byte[count];
        var received = 0;
        while (received < count)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(received), CancellationToken.None);
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            received += result.Count;
        }

        return buffer;
    }

    private static async Task AssertEndsAsync(WebSocket socket)
    {
        var buffer = new byte[256];
        // Not a timing assertion: a guard so a connection left open fails the test instead of hanging it.
        using var hang = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, hang.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (WebSocketException)
        {
            // Aborted: ended too.
        }
        catch (IOException)
        {
            // The test server's stream ended under us.
        }
        catch (OperationCanceledException) when (hang.IsCancellationRequested)
        {
            Assert.Fail("The console connection stayed open.");
        }
    }
}
