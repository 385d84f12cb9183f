using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using WebVirt.Shared.Agents;

namespace WebVirt.Web.Tests.Tunnels;

/// <summary>
/// Watches the panel's requests on the tunnel path: <see cref="Ended"/> completes when the first one ends,
/// which is when Kestrel takes the tunnel's connection down with it.
/// </summary>
internal sealed class TunnelRequestProbe : IStartupFilter
{
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Ended => _ended.Task;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            try
            {
                await nextMiddleware(context);
            }
            finally
            {
                if (context.Request.Path.StartsWithSegments(AgentProtocol.TunnelPath))
                {
                    _ended.TrySetResult();
                }
            }
        });
        next(app);
    };
}
