using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WebVirt.Shared.Agents;

namespace WebVirt.Host.Agent.Tests.Connection;

/// <summary>
/// The smallest panel an agent can talk to: Kestrel on loopback with the agent hub at its real path, a bearer
/// token check in front, and a record of what the agent said.
/// </summary>
internal sealed class FakePanel : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakePanel(WebApplication app, FakePanelState state)
    {
        _app = app;
        State = state;
    }

    public FakePanelState State { get; }

    public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public int Port => new Uri(Url).Port;

    /// <summary>The typed hub context: <c>Agent(connectionId).DefineVm(...)</c> is a client-result call.</summary>
    public IAgentClient Agent(string connectionId) => _app.Services.GetRequiredService<IHubContext<FakeAgentHub, IAgentClient>>().Clients.Client(connectionId);

    public static async Task<FakePanel> StartAsync(FakePanelState state, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Services.AddSignalR();
        builder.Services.AddSingleton(state);
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            var header = context.Request.Headers.Authorization.ToString();
            if (header != $"Bearer {state.AcceptedToken()}")
            {
                state.CountUnauthorized();
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            await next(context);
        });
        app.MapHub<FakeAgentHub>(AgentProtocol.HubPath);
        await app.StartAsync();
        return new FakePanel(app, state);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
