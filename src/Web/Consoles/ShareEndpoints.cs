using System.Net.WebSockets;
using Microsoft.EntityFrameworkCore;
using WebVirt.Relay;
using WebVirt.Shared.Tunnels;
using WebVirt.Web.Inventory;
using WebVirt.Web.Tasks;
using WebVirt.Web.Tunnels;

namespace WebVirt.Web.Consoles;

/// <summary>
/// The VNC WebSocket of a console share link, <c>/share/{token}/vnc</c>: no account, the link's token is the
/// credential (same-origin upgrades only). Every use is audited, refused ones too. A view-only link's browser
/// end goes through <see cref="ViewOnlyRelayEnd"/>, so input is dropped here on the server, not by the page.
/// The connection ends when the link expires or is revoked.
/// </summary>
internal static class ShareEndpoints
{
    public static IEndpointRouteBuilder MapShareEndpoints(this IEndpointRouteBuilder app)
    {
        app.Map("/share/{token}/vnc", ConnectAsync).AllowAnonymous();
        return app;
    }

    public static string SocketPath(string token) => $"{ConsoleShareLinks.PagePath(token)}/vnc";

    private static async Task ConnectAsync(
        string token,
        HttpContext context,
        ConsoleShareLinks links,
        IDbContextFactory<WebVirtDbContext> contexts,
        ConsoleTargets targets,
        ConsoleSessions sessions,
        AuditLog audit,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(ShareEndpoints));
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var check = await links.CheckAsync(token, context.RequestAborted);
        var refusal = !ConsoleEndpoints.IsSameOrigin(context.Request) ? "Cross-site console connections are refused." : check.Refusal;
        var link = check.Link;
        var viewer = link is null ? "anonymous" : ConsoleShareLinks.ViewerName(link);
        if (link is null || refusal is not null)
        {
            refusal ??= "Unknown share link.";
            ConsoleLog.ShareRefused(logger, link?.Id, link?.VmId, refusal);
            await audit.WriteAsync(viewer, "console.share.vnc", "vm", link?.VmId.ToString() ?? "", $"{refusal} From {context.Connection.RemoteIpAddress}.", success: false, CancellationToken.None);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync(refusal, context.RequestAborted);
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(context.RequestAborted);
        var host = await db.Vms.AsNoTracking().Where(v => v.Id == link.VmId).Select(v => new ConsoleHost(v.HostId, v.Host!.Name, v.Host.IsLocal)).FirstAsync(context.RequestAborted);
        var offered = context.WebSockets.WebSocketRequestedProtocols;
        using var browser = await context.WebSockets.AcceptWebSocketAsync(offered.Contains("binary") ? "binary" : null);
        IConsoleTarget target;
        try
        {
            target = await targets.OpenAsync(host, link.VmId, TunnelKind.Vnc, context.RequestAborted);
        }
        catch (TunnelException ex)
        {
            await ConsoleEndpoints.CloseAsync(browser, WebSocketCloseStatus.InternalServerError, ex.Message);
            return;
        }

        using (target)
        using (var session = new ConsoleSession(link.VmId, TunnelKind.Vnc, viewer, time.GetUtcNow()) { ShareLinkId = link.Id, Route = target.Route, HostId = host.Id })
        {
            sessions.Add(session);
            ConsoleLog.Opened(logger, viewer, TunnelKind.Vnc, link.VmId, target.Route);
            await audit.WriteAsync(viewer, "console.share.vnc", "vm", link.VmId.ToString(), $"{check.VmName} through link {link.Id} from {context.Connection.RemoteIpAddress}.", success: true, CancellationToken.None);
            try
            {
                // The link's expiry ends the connection too, not only new ones.
                using var expiry = new CancellationTokenSource(Max(link.ExpiresAt - time.GetUtcNow(), TimeSpan.Zero), time);
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, session.Disconnected, expiry.Token);
                var browserEnd = new WebSocketRelayEnd(browser);
                var viewOnly = link.ViewOnly ? new ViewOnlyRelayEnd(browserEnd) : null;
                var ending = await target.RunAsync(browser, viewOnly ?? (IRelayEnd)browserEnd, stop.Token);
                if (viewOnly is { Dropped: > 0 })
                {
                    ConsoleLog.InputDropped(logger, viewOnly.Dropped, link.Id);
                }

                ConsoleLog.Closed(logger, viewer, TunnelKind.Vnc, link.VmId, expiry.IsCancellationRequested ? "the share link expired" : session.Disconnected.IsCancellationRequested ? "disconnected" : ending);
            }
            finally
            {
                sessions.Remove(session);
            }
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
