using WebVirt.Host.Agent.Storage;

namespace WebVirt.Host.Agent.Tests.Storage;

/// <summary>Chunk readers over bytes in memory, the way a tunnel hands a chunk's bytes to the agent.</summary>
internal static class Chunks
{
    /// <summary>Reads <paramref name="count"/> bytes of <paramref name="data"/> from <paramref name="start"/>, then reports the end.</summary>
    public static ChunkReader Of(byte[] data, long start, long count)
    {
        var stream = new MemoryStream(data, (int)start, (int)count, writable: false);
        return (buffer, ct) => stream.ReadAsync(buffer, ct);
    }
}
