using System.Diagnostics;
using System.Net.WebSockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Consoles;

/// <summary>
/// With an hour between the periodic checks, an administrator's disable still ends the user's open console at once
/// (the guard is woken), and the console cannot come back with the same cookie and a ticket issued before.
/// </summary>
public sealed class ConsoleAccessGuardTests : IAsyncLifetime
{
    /// <summary>No periodic check (cookie or console) can fall inside a test.</summary>
    private static readonly Dictionary<string, string> HourlyChecks = new() { ["Security:SessionCheckSeconds"] = "3600" };

    /// <summary>"At once", on a busy machine; far below the hour.</summary>
    private static readonly TimeSpan AtOnce = TimeSpan.FromSeconds(3);

    private ConsolePanel _panel = null!;

    public async Task InitializeAsync() => _panel = await ConsolePanel.StartAsync(HourlyChecks);

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Fact]
    public async Task Disable_EndsTheOpenConsoleAtOnce_AndItCannotReconnect()
    {
        var cookie = await _panel.CookieAsync("admin2");
        var spareTicket = await _panel.TicketAsync("admin2", _panel.VmA);
        using var socket = await _panel.ConnectAsync(_panel.VmA, "vnc", await _panel.TicketAsync("admin2", _panel.VmA), cookie);
        await AssertRelaysAsync(socket);
        var clock = Stopwatch.StartNew();

        await PanelAccess.AsAdminAsync(_panel.Factory, async (access, admin) => await access.SetUserEnabledAsync(admin, await UserIdAsync("admin2"), enabled: false));

        await AssertEndsAsync(socket);
        Assert.True(clock.Elapsed < AtOnce, $"the console ended after {clock.Elapsed}");
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => _panel.ConnectAsync(_panel.VmA, "vnc", spareTicket, cookie));
        Assert.Contains("401", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LosingVmConsole_EndsTheOpenConsoleAtOnce()
    {
        var userId = await UserIdAsync("operator");
        await PanelAccess.AsAdminAsync(_panel.Factory, (access, admin) =>
            access.AddAclEntryAsync(admin, AclPaths.Vm(_panel.VmA), userId, null, BuiltInRoles.Operator, propagate: false));
        using var socket = await _panel.ConnectAsync(_panel.VmA, "vnc", await _panel.TicketAsync("operator", _panel.VmA), await _panel.CookieAsync("operator"));
        await AssertRelaysAsync(socket);
        Guid entry;
        await using (var db = await _panel.Factory.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>().CreateDbContextAsync())
        {
            entry = await db.AclEntries.Where(e => e.UserId == userId).Select(e => e.Id).SingleAsync();
        }

        var clock = Stopwatch.StartNew();
        await PanelAccess.AsAdminAsync(_panel.Factory, (access, admin) => access.RemoveAclEntryAsync(admin, entry));

        await AssertEndsAsync(socket);
        Assert.True(clock.Elapsed < AtOnce, $"the console ended after {clock.Elapsed}");
    }

    [Fact]
    public async Task PasswordReset_OfAnotherUser_LeavesTheConsoleOpen()
    {
        using var socket = await _panel.ConnectAsync(_panel.VmA, "vnc", await _panel.TicketAsync("admin2", _panel.VmA), await _panel.CookieAsync("admin2"));
        await AssertRelaysAsync(socket);

        await PanelAccess.AsAdminAsync(_panel.Factory, async (access, admin) =>
            await access.ResetPasswordAsync(admin, await UserIdAsync("operator"), "a-reset-password-123", mustChangePassword: true));

        await AssertRelaysAsync(socket);
    }

    /// <summary>The relay runs: the echoing agent answers.</summary>
    private static async Task AssertRelaysAsync(WebSocket socket)
    {
        await socket.SendAsync("RFB 003.008\n"u8.ToArray(), WebSocketMessageType.Binary, true, CancellationToken.None);
        using var timeout = new CancellationTokenSource(AtOnce);
        Assert.True((await socket.ReceiveAsync(new byte[64], timeout.Token)).Count > 0);
    }

    /// <summary>The relay closes: the next receive sees the end (a close frame or a dropped connection), not more bytes.</summary>
    private static async Task AssertEndsAsync(WebSocket socket)
    {
        using var timeout = new CancellationTokenSource(AtOnce);
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

    private async Task<string> UserIdAsync(string userName)
    {
        await using var db = await _panel.Factory.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>().CreateDbContextAsync();
        return await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
    }
}
