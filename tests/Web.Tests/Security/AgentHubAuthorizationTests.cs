using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;
using WebVirt.Shared.Agents;
using WebVirt.Web.Agents;
using WebVirt.Web.Tests.Agents;

namespace WebVirt.Web.Tests.Security;

/// <summary>
/// The agent hub's methods are for host agents only: no user's cookie or API token connects, nor a revoked host's
/// token, so none of its methods can be called by them; a new hub method without an entry here fails.
/// </summary>
public sealed class AgentHubAuthorizationTests : IAsyncLifetime
{
    /// <summary>Every method an agent may call, and why only a host may call it.</summary>
    private static readonly Dictionary<string, string> Methods = new(StringComparer.Ordinal)
    {
        [nameof(AgentHub.Register)] = "attaches the connection to the token's host and replaces its inventory with the agent's",
        [nameof(AgentHub.ReportVmState)] = "sets a VM's state as the token's host reports it",
        [nameof(AgentHub.ReportTaskProgress)] = "moves a task's progress bar",
    };

    private AuthorizationPanel _panel = null!;

    public async Task InitializeAsync() => _panel = await AuthorizationPanel.StartAsync();

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Fact]
    public void HubMethods_MatchTheKnownList_AndTheAgentContract()
    {
        // Hub's own virtual methods (OnConnectedAsync, OnDisconnectedAsync, Dispose) are not callable by clients.
        var callable = typeof(AgentHub).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.GetBaseDefinition().DeclaringType == typeof(AgentHub) && !m.IsSpecialName)
            .Select(m => m.Name)
            .Order()
            .ToList();

        Assert.Equal(Methods.Keys.Order(), callable);
        Assert.Equal(typeof(IAgentHub).GetMethods().Select(m => m.Name).Order(), callable);
    }

    [Fact]
    public async Task UserCredentials_CannotConnectToTheHub()
    {
        var attempts = new Dictionary<string, Action<HttpConnectionOptions>>
        {
            ["anonymous"] = _ => { },
            ["the administrator's API token"] = o => o.AccessTokenProvider = () => Task.FromResult<string?>(_panel.Token(Identity.Admin)),
            ["the owner's API token"] = o => o.AccessTokenProvider = () => Task.FromResult<string?>(_panel.Token(Identity.Owner)),
            ["the administrator's cookie"] = o => o.Headers["Cookie"] = _panel.Cookie(Identity.Admin),
            ["the auditor's cookie"] = o => o.Headers["Cookie"] = _panel.Cookie(Identity.Auditor),
        };
        var connected = new List<string>();
        foreach (var (who, credential) in attempts)
        {
            var error = await ConnectAsync(credential);
            if (error is null || !error.Contains("401", StringComparison.Ordinal))
            {
                connected.Add($"{who}: {error ?? "connected"}");
            }
        }

        Assert.True(connected.Count == 0, "The agent hub let in: " + string.Join("; ", connected));
    }

    [Fact]
    public async Task RevokedHostToken_CannotConnect_AValidOneCan()
    {
        await using (var before = new FakeAgent(_panel.Factory, _panel.SpareHostToken))
        {
            await before.ConnectAsync();
        }

        using var revoke = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/hosts/{_panel.SpareHostId}/revoke");
        using var revoked = await _panel.SendAsync(revoke, Identity.Admin, token: true);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);

        await using var after = new FakeAgent(_panel.Factory, _panel.SpareHostToken);
        var error = await Assert.ThrowsAsync<HttpRequestException>(after.ConnectAsync);
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    /// <summary>Null when the connection opened (it is closed again), else the error.</summary>
    private async Task<string?> ConnectAsync(Action<HttpConnectionOptions> credential)
    {
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(_panel.Factory.Server.BaseAddress, AgentProtocol.HubPath), options =>
            {
                options.HttpMessageHandlerFactory = _ => _panel.Factory.Server.CreateHandler();
                options.Transports = HttpTransportType.LongPolling;
                credential(options);
            })
            .Build();
        try
        {
            await connection.StartAsync();
            return null;
        }
        catch (HttpRequestException refused)
        {
            return $"{(int?)refused.StatusCode} {refused.Message}";
        }
    }
}
