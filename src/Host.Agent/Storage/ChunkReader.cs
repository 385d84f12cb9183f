namespace WebVirt.Host.Agent.Storage;

/// <summary>Reads the next bytes of a transfer into <paramref name="buffer"/>; 0 when the sender has no more.</summary>
internal delegate ValueTask<int> ChunkReader(Memory<byte> buffer, CancellationToken cancellationToken);
