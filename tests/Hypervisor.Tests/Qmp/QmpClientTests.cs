using System.Text.Json;
using WebVirt.Hypervisor.Qmp;

namespace WebVirt.Hypervisor.Tests.Qmp;

/// <summary>Protocol behaviour of <see cref="QmpClient"/> against a scripted fake QMP server.</summary>
public sealed class QmpClientTests : IAsyncLifetime
{
    private static readonly TimeSpan Step = FakeQmpConnection.StepTimeout;

    // Long enough for the command to reach the fake server first, even on a loaded machine with a cold JIT:
    // a command whose caller gave up before it was written is never sent, which is not what these tests probe.
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromSeconds(2);

    private readonly FakeQmpServer _server = FakeQmpServer.Start();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ConnectAsync_GreetingThenCapabilities_NegotiatesAndReportsVersion()
    {
        var connecting = QmpClient.ConnectAsync(_server.SocketPath, Step);
        await using var peer = await _server.AcceptAsync();
        await peer.SendAsync(FakeQmpServer.Greeting);

        var negotiate = await peer.ExpectAsync("qmp_capabilities");
        Assert.False(negotiate.TryGetProperty("arguments", out _));
        Assert.Equal(JsonValueKind.Number, negotiate.GetProperty("id").ValueKind);
        Assert.False(connecting.IsCompleted);
        await peer.ReplyAsync(negotiate);

        await using var client = await connecting.WaitAsync(Step);
        Assert.Equal(new QmpVersion(7, 2, 22, "Debian 1:7.2+dfsg-7+deb12u18+b3"), client.Version);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task ConnectAsync_NoGreetingWithinTimeout_ThrowsAnotherClientMayBeConnected()
    {
        var connecting = QmpClient.ConnectAsync(_server.SocketPath, TimeSpan.FromMilliseconds(300));
        await using var peer = await _server.AcceptAsync();

        var ex = await Assert.ThrowsAsync<QmpException>(() => connecting.WaitAsync(Step));

        Assert.Contains("No QMP greeting", ex.Message);
        Assert.Contains("another QMP client may be connected", ex.Message);
        Assert.IsType<TimeoutException>(ex.InnerException);
    }

    [Fact]
    public async Task ConnectAsync_ClosedBeforeGreeting_ThrowsDisconnected()
    {
        var connecting = QmpClient.ConnectAsync(_server.SocketPath, Step);
        var peer = await _server.AcceptAsync();
        peer.Close();

        var ex = await Assert.ThrowsAsync<QmpDisconnectedException>(() => connecting.WaitAsync(Step));

        Assert.Equal(QmpDisconnectReason.ClosedByPeer, ex.Disconnect.Reason);
    }

    [Fact]
    public async Task ConnectAsync_NoSocket_ThrowsQmpExceptionNamingPath()
    {
        var path = Path.Combine(Path.GetDirectoryName(_server.SocketPath)!, "missing.sock");

        var ex = await Assert.ThrowsAsync<QmpException>(() => QmpClient.ConnectAsync(path, Step));

        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public async Task ExecuteAsync_Arguments_SentAsOneLineWithIdAndArguments()
    {
        var (client, peer) = await _server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = peer;

        var call = client.ExecuteAsync("human-monitor-command", new Dictionary<string, object> { ["command-line"] = "info status" });
        var line = await peer.ReceiveLineAsync();
        var command = JsonDocument.Parse(line).RootElement;
        await peer.ReplyAsync(command, "\"VM status: paused (prelaunch)\\r\\n\"");

        Assert.StartsWith("""{"execute":"human-monitor-command","arguments":{"command-line":"info status"},"id":""", line);
        Assert.Equal("VM status: paused (prelaunch)\r\n", (await call.WaitAsync(Step)).GetString());
    }

    [Fact]
    public async Task ExecuteAsync_RepliesInOtherOrder_MatchedById()
    {
        var (client, peer) = await _server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = peer;

        var first = client.ExecuteAsync("query-name");
        var second = client.ExecuteAsync("query-uuid");
        var firstCommand = await peer.ExpectAsync("query-name");
        var secondCommand = await peer.ExpectAsync("query-uuid");
        await peer.ReplyAsync(secondCommand, """{"UUID": "u"}""");
        await peer.ReplyAsync(firstCommand, """{"name": "n"}""");

        Assert.Equal("n", (await first.WaitAsync(Step)).GetProperty("name").GetString());
        Assert.Equal("u", (await second.WaitAsync(Step)).GetProperty("UUID").GetString());
    }

    [Fact]
    public async Task ExecuteAsync_EventBeforeReply_EventDeliveredAndReplyReturned()
    {
        var (client, peer) = await _server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = peer;

        var stop = client.StopAsync();
        var command = await peer.ExpectAsync("stop");
        await peer.SendEventAsync("STOP", seconds: 1795630965, microseconds: 16617);
        await peer.ReplyAsync(command);
        await stop.WaitAsync(Step);

        Assert.True(client.Events.TryRead(out var stopEvent));
        Assert.Equal("STOP", stopEvent.Name);
        Assert.Equal(JsonValueKind.Object, stopEvent.Data.ValueKind);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795630965).AddTicks(166170), stopEvent.Timestamp);
    }

    [Fact]
    public async Task Events_SeveralEvents_DeliveredInOrderThenChannelCompletesOnDisconnect()
    {
        var (client, peer) = await _server.ConnectClientAsync();
        await using var _ = client;

        for (var i = 0; i < 100; i++)
        {
            await peer.SendEventAsync("MIGRATION_PASS", $$"""{"pass": {{i}}}""");
        }

        peer.Close();
        var passes = new List<int>();
        await foreach (var qmpEvent in client.Events.ReadAllAsync().WithCancellation(new CancellationTokenSource(Step).Token))
        {
            passes.Add(qmpEvent.Data.GetProperty("pass").GetInt32());
        }

        Assert.Equal(Enumerable.Range(0, 100), passes);
    }

    [Fact]
    public async Task ExecuteAsync_ReplyLineOf300KB_Parses()
    {
        var (client, peer) = await _server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = peer;
        var blob = new string('x', 300 * 1024);

        var call = client.ExecuteAsync("query-qmp-schema");
        var command = await peer.ExpectAsync("query-qmp-schema");
        await peer.ReplyAsync(command, $$"""[{"name": "{{blob}}"}]""");
        var reply = await call.WaitAsync(Step);

        Assert.Equal(blob, reply[0].GetProperty("name").GetString());
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task ExecuteAsync_ErrorReply_ThrowsQmpExceptionWithClassAndDescription()
    {
        var (client, peer) = await _server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = peer;

        var call = client.ScreendumpAsync("/tmp/x.png");
        var command = await peer.ExpectAsync("screendump");
        await peer.ReplyErrorAsync(command, "GenericError", "There is no console to take a screendump from");
        var ex = await Assert.ThrowsAsync<QmpException>(() => call.WaitAsync(Step));

        Assert.Equal("QMP command 'screendump' failed (GenericError): There is no console to take a screendump from", ex.Message);
        Assert.Equal("GenericError", ex.ErrorClass);
        Assert.Equal("There is no console to take a screendump from", ex.Description);
        Assert.Equal("screendump", ex.Command);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task ExecuteAsync_ErrorWithoutId_FailsOldestPendingCommand()
    {
        var (client, peer) = await _server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = peer;

        var first = client.ExecuteAsync("query-status");
        var second = client.ExecuteAsync("query-name");
        await peer.ExpectAsync("query-status");
        var secondCommand = await peer.ExpectAsync("query-name");
        await peer.SendAsync("""{"error": {"class": "GenericError", "desc": "JSON parse error"}}""");

        var ex = await Assert.ThrowsAsync<QmpException>(() => first.WaitAsync(Step));
        Assert.Equal("query-status", ex.Command);
        Assert.False(second.IsCompleted);
        await peer.ReplyAsync(secondCommand, """{"name": "vm"}""");
        Assert.Equal("vm", (await second.WaitAsync(Step)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task ExecuteAsync_TimeoutThenLateReply_LateReplyNotDeliveredToNextCommand()
    {
        var (client, peer) = await _server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = peer;

        var slow = client.ExecuteAsync("query-status", timeout: ShortTimeout);
        var slowCommand = await peer.ExpectAsync("query-status");
        var ex = await Assert.ThrowsAsync<TimeoutException>(() => slow.WaitAsync(Step));
        Assert.Contains("'query-status'", ex.Message);

        var next = client.ExecuteAsync("query-status");
        var nextCommand = await peer.ExpectAsync("query-status");
        await peer.ReplyAsync(slowCommand, """{"status": "late"}""");
        await peer.ReplyAsync(nextCommand, """{"status": "right"}""");

        Assert.Equal("right", (await next.WaitAsync(Step)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task ExecuteAsync_TimeoutThenLateErrorWithoutId_NextCommandUnaffected()
    {
        var (client, peer) = await _server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = peer;

        var slow = client.ExecuteAsync("query-status", timeout: ShortTimeout);
        await peer.ExpectAsync("query-status");
        await Assert.ThrowsAsync<TimeoutException>(() => slow.WaitAsync(Step));

        var next = client.ExecuteAsync("query-name");
        var nextCommand = await peer.ExpectAsync("query-name");
        await peer.SendAsync("""{"error": {"class": "GenericError", "desc": "belongs to the timed-out command"}}""");
        await peer.ReplyAsync(nextCommand, """{"name": "vm"}""");

        Assert.Equal("vm", (await next.WaitAsync(Step)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task ExecuteAsync_Cancelled_ThrowsAndLateReplyNotDeliveredToNextCommand()
    {
        var (client, peer) = await _server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = peer;
        using var cancel = new CancellationTokenSource();

        var cancelled = client.ExecuteAsync("query-status", cancellationToken: cancel.Token);
        var cancelledCommand = await peer.ExpectAsync("query-status");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Step));

        var next = client.ExecuteAsync("query-status");
        var nextCommand = await peer.ExpectAsync("query-status");
        await peer.ReplyAsync(cancelledCommand, """{"status": "late"}""");
        await peer.ReplyAsync(nextCommand, """{"status": "right"}""");

        Assert.Equal("right", (await next.WaitAsync(Step)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task ExecuteAsync_AlreadyCancelled_ThrowsAndSendsNothing()
    {
        var (client, peer) = await _server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = peer;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => client.ExecuteAsync("quit", cancellationToken: new CancellationToken(canceled: true)));
        var next = client.ExecuteAsync("query-name");
        var nextCommand = await peer.ExpectAsync("query-name");
        await peer.ReplyAsync(nextCommand, """{"name": "vm"}""");

        Assert.Equal("vm", (await next.WaitAsync(Step)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task ExecuteAsync_PeerClosesMidCommand_FailsWithDisconnectAndCompletionCompletes()
    {
        var (client, peer) = await _server.ConnectClientAsync();
        await using var _ = client;

        var call = client.QueryStatusAsync();
        await peer.ExpectAsync("query-status");
        peer.Close();

        var ex = await Assert.ThrowsAsync<QmpDisconnectedException>(() => call.WaitAsync(Step));
        Assert.Equal(QmpDisconnectReason.ClosedByPeer, ex.Disconnect.Reason);
        Assert.Contains("'query-status'", ex.Message);
        Assert.Contains("closed by QEMU", ex.Message);
        var disconnect = await client.Completion.WaitAsync(Step);
        Assert.Equal(QmpDisconnectReason.ClosedByPeer, disconnect.Reason);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task ExecuteAsync_AfterDisconnect_FailsImmediately()
    {
        var (client, peer) = await _server.ConnectClientAsync();
        await using var _ = client;
        peer.Close();
        await client.Completion.WaitAsync(Step);

        var call = client.ExecuteAsync("query-status");

        Assert.True(call.IsFaulted);
        var ex = await Assert.ThrowsAsync<QmpDisconnectedException>(() => call);
        Assert.Equal(QmpDisconnectReason.ClosedByPeer, ex.Disconnect.Reason);
    }

    [Fact]
    public async Task DisposeAsync_PendingCommand_FailsWithDisposedAndCompletionSaysDisposed()
    {
        var (client, peer) = await _server.ConnectClientAsync();
        await using var __ = peer;

        var call = client.QueryStatusAsync();
        await peer.ExpectAsync("query-status");
        await client.DisposeAsync();

        var ex = await Assert.ThrowsAsync<QmpDisconnectedException>(() => call.WaitAsync(Step));
        Assert.Equal(QmpDisconnectReason.Disposed, ex.Disconnect.Reason);
        Assert.Equal(QmpDisconnectReason.Disposed, (await client.Completion.WaitAsync(Step)).Reason);
        await Assert.ThrowsAsync<EndOfStreamException>(peer.ReceiveLineAsync);
    }

    [Fact]
    public async Task ReadLoop_InvalidJson_DisconnectsWithProtocolError()
    {
        var (client, peer) = await _server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = peer;

        var call = client.QueryStatusAsync();
        await peer.ExpectAsync("query-status");
        await peer.SendAsync("{\"return\": {\"status\": ");

        var ex = await Assert.ThrowsAsync<QmpDisconnectedException>(() => call.WaitAsync(Step));
        Assert.Equal(QmpDisconnectReason.ProtocolError, ex.Disconnect.Reason);
        var disconnect = await client.Completion.WaitAsync(Step);
        Assert.Equal(QmpDisconnectReason.ProtocolError, disconnect.Reason);
        Assert.IsType<QmpException>(disconnect.Error);
    }

    [Fact]
    public async Task QuitAsync_PeerClosesWithoutReply_Succeeds()
    {
        var (client, peer) = await _server.ConnectClientAsync();
        await using var _ = client;

        var quit = client.QuitAsync();
        await peer.ExpectAsync("quit");
        await peer.SendEventAsync("SHUTDOWN", """{"guest": false, "reason": "host-qmp-quit"}""");
        peer.Close();

        await quit.WaitAsync(Step);
        Assert.Equal(QmpDisconnectReason.ClosedByPeer, (await client.Completion.WaitAsync(Step)).Reason);
    }

    [Fact]
    public async Task ExecuteAsync_UnknownIdReply_IgnoredAndConnectionKept()
    {
        var (client, peer) = await _server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = peer;

        var call = client.ExecuteAsync("query-name");
        var command = await peer.ExpectAsync("query-name");
        await peer.SendAsync("""{"return": {"name": "stray"}, "id": "not-ours"}""");
        await peer.ReplyAsync(command, """{"name": "vm"}""");

        Assert.Equal("vm", (await call.WaitAsync(Step)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task ExecuteAsync_NonObjectArguments_ThrowsArgumentException()
    {
        var (client, peer) = await _server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = peer;

        await Assert.ThrowsAsync<ArgumentException>(() => client.ExecuteAsync("query-name", new[] { 1, 2 }));
    }
}
