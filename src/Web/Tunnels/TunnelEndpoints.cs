using Microsoft.AspNetCore.Authorization;
using WebVirt.Shared.Agents;
using WebVirt.Web.Agents;

namespace WebVirt.Web.Tunnels;

internal static class TunnelEndpoints
{
    /// <summary>Where agents dial tunnels back: host-token authenticated, one pending tunnel id per WebSocket.</summary>
    public static IEndpointRouteBuilder MapTunnelEndpoints(this IEndpointRouteBuilder app)
    {
        app.Map(AgentProtocol.TunnelPath + "/{tunnelId:guid}", AcceptAsync)
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = HostTokenAuthentication.Scheme });
        return app;
    }

    private static async Task AcceptAsync(Guid tunnelId, HttpContext context, TunnelBroker broker, IHostApplicationLifetime lifetime)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var hostId = Guid.Parse(context.User.FindFirst(HostTokenAuthentication.HostIdClaim)!.Value);
        if (broker.Claim(tunnelId, hostId, out var refusal) is not { } tunnel)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync(refusal!, context.RequestAborted);
            return;
        }

        // A tunnel may stall for seconds while the agent's disk catches up (an upload) or a viewer is idle:
        // Kestrel's minimum data rates, meant for request and response bodies, would abort it.
        if (context.Features.Get<Microsoft.AspNetCore.Server.Kestrel.Core.Features.IHttpMinResponseDataRateFeature>() is { } responseRate)
        {
            responseRate.MinDataRate = null;
        }

        if (context.Features.Get<Microsoft.AspNetCore.Server.Kestrel.Core.Features.IHttpMinRequestBodyDataRateFeature>() is { } requestRate)
        {
            requestRate.MinDataRate = null;
        }

        var socket = new TunnelWebSocket(await context.WebSockets.AcceptWebSocketAsync());
        if (!tunnel.TryDeliver(socket))
        {
            socket.Abort();
            socket.Dispose();
            return;
        }

        // The socket lives as long as this request, so the request lasts until the opener disposes the socket, even
        // after the agent hung up: an agent answers and drops the connection at once (an upload's result), and ending
        // the request then would take the unread answer with it. An opener sees a dropped agent as a failed read.
        await Task.WhenAny(socket.Finished, Task.Delay(Timeout.Infinite, lifetime.ApplicationStopping));
    }
}
