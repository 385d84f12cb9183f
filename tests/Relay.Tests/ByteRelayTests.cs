using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using WebVirt.Relay;

namespace WebVirt.Relay.Tests;

public sealed class ByteRelayTests
{
    private const long HundredMegabytes = 100L * 1024 * 1024;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task HundredMegabytes_BothWaysAtOnce_ArriveByteExact()
    {
        await using var rig = await RelayRig.StartAsync();

        var up = Task.Run(async () =>
        {
            var sent = await SendPatternAsync(seed: 1, HundredMegabytes, async chunk => await rig.Browser.SendAsync(chunk, WebSocketMessageType.Binary, true, CancellationToken.None));
            await rig.Browser.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            return sent;
        });
        var upReceived = Task.Run(() => HashSocketAsync(rig.Vm));
        var down = Task.Run(async () =>
        {
            var sent = await SendPatternAsync(seed: 2, HundredMegabytes, async chunk => await rig.Vm.SendAsync(chunk, SocketFlags.None));
            rig.Vm.Shutdown(SocketShutdown.Send);
            return sent;
        });
        var downReceived = Task.Run(() => HashWebSocketAsync(rig.Browser));

        var (upHash, upCount) = await upReceived.WaitAsync(Patience);
        var (downHash, downCount) = await downReceived.WaitAsync(Patience);

        Assert.Equal(HundredMegabytes, upCount);
        Assert.Equal(HundredMegabytes, downCount);
        Assert.Equal(Convert.ToHexString(await up), Convert.ToHexString(upHash));
        Assert.Equal(Convert.ToHexString(await down), Convert.ToHexString(downHash));
        var result = await rig.Relay.WaitAsync(Patience);
        Assert.True(result.Clean, result.ToString());
        Assert.Equal(HundredMegabytes, result.BytesAToB);
        Assert.Equal(HundredMegabytes, result.BytesBToA);
    }

    [Fact]
    public async Task HalfClose_FromTheBrowser_TheOtherDirectionKeepsFlowing()
    {
        await using var rig = await RelayRig.StartAsync();

        await rig.Browser.SendAsync("last words"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        await rig.Browser.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        var (_, count) = await HashSocketAsync(rig.Vm).WaitAsync(Patience);
        await rig.Vm.SendAsync("late reply"u8.ToArray(), SocketFlags.None);
        rig.Vm.Shutdown(SocketShutdown.Send);
        var buffer = new byte[64];
        var reply = await rig.Browser.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Patience);
        var end = await rig.Browser.ReceiveAsync(new byte[64], CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(10, count);
        Assert.Equal("late reply", Encoding.ASCII.GetString(buffer, 0, reply.Count));
        Assert.Equal(WebSocketMessageType.Close, end.MessageType);
        var result = await rig.Relay.WaitAsync(Patience);
        Assert.True(result.Clean, result.ToString());
    }

    [Fact]
    public async Task HalfClose_FromTheVm_TheBrowserCanStillSend()
    {
        await using var rig = await RelayRig.StartAsync();

        rig.Vm.Shutdown(SocketShutdown.Send);
        var end = await rig.Browser.ReceiveAsync(new byte[64], CancellationToken.None).WaitAsync(Patience);
        await rig.Browser.SendAsync("still here"u8.ToArray(), WebSocketMessageType.Binary, true, CancellationToken.None);
        await rig.Browser.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        var (_, count) = await HashSocketAsync(rig.Vm).WaitAsync(Patience);

        Assert.Equal(WebSocketMessageType.Close, end.MessageType);
        Assert.Equal(10, count);
        Assert.True((await rig.Relay.WaitAsync(Patience)).Clean);
    }

    [Fact]
    public async Task SlowReader_HoldsBackTheWriter_MemoryStaysBounded()
    {
        await using var rig = await RelayRig.StartAsync();
        const long total = 64L * 1024 * 1024;

        // What may sit between writer and reader: the kernel's socket buffers on both hops plus one relay buffer.
        var bound = (long)rig.Vm.ReceiveBufferSize + rig.Vm.SendBufferSize + (4 * 1024 * 1024) + ByteRelay.BufferSize;
        long sent = 0;
        var maxAhead = 0L;
        var writer = Task.Run(async () =>
        {
            var chunk = new byte[64 * 1024];
            while (Interlocked.Read(ref sent) < total)
            {
                await rig.Browser.SendAsync(chunk, WebSocketMessageType.Binary, true, CancellationToken.None);
                Interlocked.Add(ref sent, chunk.Length);
            }
        });
        var buffer = new byte[4096];
        long received = 0;
        while (received < total)
        {
            var read = await rig.Vm.ReceiveAsync(buffer, SocketFlags.None);
            Assert.NotEqual(0, read);
            received += read;
            maxAhead = Math.Max(maxAhead, Interlocked.Read(ref sent) - received);
            if (received % (1024 * 1024) < 4096)
            {
                // A slow reader: the writer must wait for it rather than pile bytes up in memory.
                await Task.Delay(1);
            }
        }

        await writer.WaitAsync(Patience);
        Assert.True(maxAhead <= bound, $"The writer got {maxAhead} bytes ahead of the reader (bound {bound}).");
    }

    [Fact]
    public async Task BrowserDropsAbruptly_RelayEndsAndTheVmSideIsClosed()
    {
        await using var rig = await RelayRig.StartAsync();
        await rig.Browser.SendAsync("hello"u8.ToArray(), WebSocketMessageType.Binary, true, CancellationToken.None);

        rig.Browser.Abort();
        rig.Browser.Dispose();
        var result = await rig.Relay.WaitAsync(Patience);
        var (_, count) = await HashSocketAsync(rig.Vm).WaitAsync(Patience);

        Assert.False(result.Clean);
        Assert.Equal(5, count);
    }

    [Fact]
    public async Task VmDropsAbruptly_RelayEndsAndTheBrowserIsTold()
    {
        await using var rig = await RelayRig.StartAsync();

        rig.Vm.Dispose();
        var ended = await ReceiveUntilEndAsync(rig.Browser).WaitAsync(Patience);
        await rig.Browser.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        var result = await rig.Relay.WaitAsync(Patience);

        Assert.True(ended);
        Assert.Equal(RelayEnding.Completed, result.BToA);
    }

    [Fact]
    public async Task Cancelled_BothSidesAreDropped()
    {
        await using var rig = await RelayRig.StartAsync();

        await rig.Stop.CancelAsync();
        var result = await rig.Relay.WaitAsync(Patience);

        Assert.Equal(RelayEnding.Cancelled, result.AToB);
        Assert.True(await ReceiveUntilEndAsync(rig.Browser).WaitAsync(Patience));
        Assert.Equal(0, (await HashSocketAsync(rig.Vm).WaitAsync(Patience)).Count);
    }

    private static async Task<byte[]> SendPatternAsync(int seed, long total, Func<ReadOnlyMemory<byte>, Task> send)
    {
        var random = new Random(seed);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new byte[48 * 1024 + 7];
        for (long sent = 0; sent < total;)
        {
            var size = (int)Math.Min(random.Next(1, chunk.Length), total - sent);
            random.NextBytes(chunk.AsSpan(0, size));
            hash.AppendData(chunk, 0, size);
            await send(chunk.AsMemory(0, size));
            sent += size;
        }

        return hash.GetHashAndReset();
    }

    private static async Task<(byte[] Hash, long Count)> HashSocketAsync(Socket socket)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long count = 0;
        while (true)
        {
            int read;
            try
            {
                read = await socket.ReceiveAsync(buffer, SocketFlags.None);
            }
            catch (SocketException)
            {
                read = 0;
            }

            if (read == 0)
            {
                return (hash.GetHashAndReset(), count);
            }

            hash.AppendData(buffer, 0, read);
            count += read;
        }
    }

    private static async Task<(byte[] Hash, long Count)> HashWebSocketAsync(WebSocket socket)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long count = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (hash.GetHashAndReset(), count);
            }

            Assert.Equal(WebSocketMessageType.Binary, result.MessageType);
            hash.AppendData(buffer, 0, result.Count);
            count += result.Count;
        }
    }

    /// <summary>True once the socket reports its end (a close frame, or the connection dropped).</summary>
    private static async Task<bool> ReceiveUntilEndAsync(WebSocket socket)
    {
        var buffer = new byte[1024];
        try
        {
            while ((await socket.ReceiveAsync(buffer, CancellationToken.None)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (WebSocketException)
        {
        }

        return true;
    }
}
