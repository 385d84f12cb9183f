using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace WebVirt.Hypervisor.Tests.Qmp;

/// <summary>The server end of one fake QMP connection: reads commands, writes replies and events.</summary>
internal sealed class FakeQmpConnection(Socket socket) : IAsyncDisposable
{
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(10);

    private readonly NetworkStream _stream = new(socket, ownsSocket: true);
    private StreamReader? _reader;

    private StreamReader Reader => _reader ??= new StreamReader(_stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false);

    /// <summary>Reads the next command line exactly as the client wrote it.</summary>
    public async Task<string> ReceiveLineAsync()
    {
        using var timeout = new CancellationTokenSource(StepTimeout);
        return await Reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException("client closed the connection");
    }

    public async Task<JsonElement> ReceiveAsync() => JsonDocument.Parse(await ReceiveLineAsync()).RootElement;

    public async Task<JsonElement> ExpectAsync(string command)
    {
        var message = await ReceiveAsync();
        Assert.Equal(command, message.GetProperty("execute").GetString());
        return message;
    }

    public Task SendAsync(string json) => _stream.WriteAsync(Encoding.UTF8.GetBytes(json + "\r\n")).AsTask();

    public Task ReplyAsync(JsonElement command, string returnJson = "{}") =>
        SendAsync($$"""{"return": {{returnJson}}, "id": {{command.GetProperty("id").GetRawText()}}}""");

    public Task ReplyErrorAsync(JsonElement command, string errorClass, string description) =>
        SendAsync($$$"""{"id": {{{command.GetProperty("id").GetRawText()}}}, "error": {"class": "{{{errorClass}}}", "desc": "{{{description}}}"}}""");

    public Task SendEventAsync(string name, string? dataJson = null, long seconds = 1795630965, long microseconds = 15709) =>
        SendAsync(dataJson is null
            ? $$"""{"timestamp": {"seconds": {{seconds}}, "microseconds": {{microseconds}}}, "event": "{{name}}"}"""
            : $$"""{"timestamp": {"seconds": {{seconds}}, "microseconds": {{microseconds}}}, "event": "{{name}}", "data": {{dataJson}}}""");

    public void Close() => _stream.Dispose();

    public ValueTask DisposeAsync()
    {
        _reader?.Dispose();
        return _stream.DisposeAsync();
    }
}
