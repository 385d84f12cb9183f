using System.Net.WebSockets;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using WebVirt.Relay;
using WebVirt.Shared.Tunnels;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;
using WebVirt.Web.Tasks;
using WebVirt.Web.Tunnels;

namespace WebVirt.Web.Consoles;

/// <summary>
/// The browser's console WebSockets, <c>/console/{vmId}/vnc</c> and <c>/console/{vmId}/serial</c>: the upgrade
/// needs the user's sign-in cookie, a same-origin request and a ticket issued to that user for that console;
/// VM.Console is checked again. Then bytes are relayed to a tunnel the VM's host agent dials back, or, on the host
/// whose agent runs in this process, straight to the VM's socket (<see cref="ConsoleTargets"/>).
/// </summary>
internal static class ConsoleEndpoints
{
    public const string Path = "/console";

    public static IEndpointRouteBuilder MapConsoleEndpoints(this IEndpointRouteBuilder app)
    {
        app.Map(Path + "/{vmId:guid}/{kind}", ConnectAsync).AllowAnonymous();
        return app;
    }

    public static string UrlOf(Guid vmId, TunnelKind kind, string ticket) =>
        $"{Path}/{vmId}/{kind.ToString().ToLowerInvariant()}?ticket={Uri.EscapeDataString(ticket)}";

    private static async Task ConnectAsync(
        Guid vmId,
        string kind,
        HttpContext context,
        ConsoleTickets tickets,
        PermissionService permissions,
        IDbContextFactory<WebVirtDbContext> contexts,
        ConsoleTargets targets,
        ConsoleSessions sessions,
        AuditLog audit,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(ConsoleEndpoints));
        if (!TryParseKind(kind, out var consoleKind))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        // Ticketed and cookie-authenticated: a ticket alone (leaked in a log or a Referer) is not enough.
        var signIn = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var user = signIn.Succeeded ? signIn.Principal : null;
        if (user?.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
        {
            await RefuseAsync(context, logger, consoleKind, vmId, "anonymous", StatusCodes.Status401Unauthorized, "Sign in first.");
            return;
        }

        var userName = user.Identity?.Name ?? userId;
        if (!IsSameOrigin(context.Request))
        {
            await RefuseAsync(context, logger, consoleKind, vmId, userName, StatusCodes.Status403Forbidden, "Cross-site console connections are refused.");
            return;
        }

        var refusal = tickets.Redeem(context.Request.Query["ticket"], userId, vmId, consoleKind)
            ?? (await permissions.HasOnVmAsync(user, vmId, Privileges.VmConsole, context.RequestAborted) ? null : "You may not use this VM's console.");
        if (refusal is not null)
        {
            await RefuseAsync(context, logger, consoleKind, vmId, userName, StatusCodes.Status403Forbidden, refusal);
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(context.RequestAborted);
        var vm = await db.Vms.AsNoTracking().Where(v => v.Id == vmId).Select(v => new { v.Name, Host = new ConsoleHost(v.HostId, v.Host!.Name, v.Host.IsLocal) }).FirstOrDefaultAsync(context.RequestAborted);
        if (vm is null)
        {
            await RefuseAsync(context, logger, consoleKind, vmId, userName, StatusCodes.Status404NotFound, "There is no such VM.");
            return;
        }

        // noVNC may offer the "binary" subprotocol; answer it only when offered.
        var offered = context.WebSockets.WebSocketRequestedProtocols;
        using var browser = await context.WebSockets.AcceptWebSocketAsync(offered.Contains("binary") ? "binary" : null);
        IConsoleTarget target;
        try
        {
            target = await targets.OpenAsync(vm.Host, vmId, consoleKind, context.RequestAborted);
        }
        catch (TunnelException ex)
        {
            await CloseAsync(browser, WebSocketCloseStatus.InternalServerError, ex.Message);
            return;
        }

        using (target)
        using (var session = new ConsoleSession(vmId, consoleKind, userName, time.GetUtcNow()) { Route = target.Route, User = user, HostId = vm.Host.Id })
        {
            sessions.Add(session);
            ConsoleLog.Opened(logger, userName, consoleKind, vmId, target.Route);
            await audit.WriteAsync(userName, $"console.{consoleKind.ToString().ToLowerInvariant()}", "vm", vmId.ToString(), vm.Name, success: true, CancellationToken.None);
            try
            {
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, session.Disconnected);
                var ending = await target.RunAsync(browser, new WebSocketRelayEnd(browser), stop.Token);
                if (session.Disconnected.IsCancellationRequested)
                {
                    // Aborted by the relay; nothing more to say to the browser than the dropped connection.
                    ConsoleLog.Closed(logger, userName, consoleKind, vmId, session.DisconnectReason ?? "disconnected");
                }
                else
                {
                    ConsoleLog.Closed(logger, userName, consoleKind, vmId, ending);
                }
            }
            finally
            {
                sessions.Remove(session);
            }
        }
    }

    private static bool TryParseKind(string kind, out TunnelKind consoleKind)
    {
        consoleKind = kind switch { "vnc" => TunnelKind.Vnc, "serial" => TunnelKind.Serial, _ => TunnelKind.Upload };
        return consoleKind != TunnelKind.Upload;
    }

    /// <summary>Browsers always send Origin on WebSocket upgrades; it must be this panel (cross-site WebSocket hijacking).</summary>
    internal static bool IsSameOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0
            || (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase));
    }

    private static async Task RefuseAsync(HttpContext context, ILogger logger, TunnelKind kind, Guid vmId, string user, int status, string reason)
    {
        ConsoleLog.Refused(logger, kind, vmId, user, reason);
        context.Response.StatusCode = status;
        await context.Response.WriteAsync(reason, context.RequestAborted);
    }

    internal static async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string reason)
    {
        try
        {
            // A close reason is at most 123 bytes.
            var text = reason.Length > 120 ? reason[..120] : reason;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.CloseAsync(status, text, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            socket.Abort();
        }
    }
}
