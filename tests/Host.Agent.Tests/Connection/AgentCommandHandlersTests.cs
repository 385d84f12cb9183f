using System.Reflection;
using Microsoft.AspNetCore.SignalR.Client;
using WebVirt.Host.Agent.Connection;
using WebVirt.Shared.Agents;

namespace WebVirt.Host.Agent.Tests.Connection;

/// <summary>The hub handlers come from the contract: every command the panel can send reaches the agent's implementation.</summary>
public sealed class AgentCommandHandlersTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly FakePanelState _state = new();
    private FakePanel _panel = null!;

    public async Task InitializeAsync() => _panel = await FakePanel.StartAsync(_state);

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Fact]
    public async Task EveryCommand_SentByThePanelThroughARealHub_ReachesTheImplementationWithItsArguments()
    {
        var recorder = RecordingAgentClient.Create();
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(_panel.Url + AgentProtocol.HubPath), http => http.AccessTokenProvider = () => Task.FromResult<string?>(_state.Token))
            .Build();
        AgentCommandHandlers.Register(connection, recorder.AsClient);
        await connection.StartAsync();
        var panelSide = _panel.Agent(connection.ConnectionId!);

        foreach (var method in typeof(IAgentClient).GetMethods())
        {
            var arguments = method.GetParameters().Select(p => SampleOf(p.ParameterType)).ToArray();

            var call = (Task)method.Invoke(panelSide, arguments)!;
            await call.WaitAsync(Patience);
            var reply = call.GetType().GetProperty("Result")!.GetValue(call);

            // A command without a handler would fail on the panel's side ("Client didn't provide a result").
            Assert.True(recorder.Calls.TryDequeue(out var received), $"{method.Name} did not reach the implementation");
            Assert.Equal(method.Name, received.Name);
            Assert.Equal(arguments, received.Arguments);
            Assert.NotNull(reply);
            Assert.IsType(method.ReturnType.GetGenericArguments()[0], reply);
            if (reply is AgentReply agentReply)
            {
                Assert.Equal("recorded " + method.Name, agentReply.Error);
            }
        }

        Assert.Empty(recorder.Calls);
    }

    // Values that survive the JSON round trip unchanged and differ from a default, so a lost argument shows.
    private static object? SampleOf(Type type) => type switch
    {
        _ when type == typeof(Guid) || type == typeof(Guid?) => new Guid("6f1c0c4e-3a55-4d1e-9a37-0d5c3f1f2a11"),
        _ when type == typeof(string) => "sample",
        _ when type == typeof(bool) => true,
        _ when type == typeof(int) => 42,
        _ when type == typeof(long) => 4_200_000_000L,
        _ => null,
    };
}
