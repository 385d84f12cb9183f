using System.Buffers;

namespace WebVirt.Host.Agent.Storage;

/// <summary>
/// Copies a transfer's bytes into its file in full blocks, each hashed as it is written, while the next block is
/// read: receiving, writing and hashing overlap (two cores do two of them at once) instead of taking turns.
/// Blocks reach the file in order, one write in flight at a time; what arrived before the sender broke off is
/// written too, for the resume.
/// </summary>
internal static class BlockCopy
{
    public const int BlockBytes = 1 << 20;

    /// <summary>Copies up to <paramref name="length"/> bytes from <paramref name="read"/> to <paramref name="file"/>; how many arrived.</summary>
    public static async Task<long> CopyAsync(ChunkReader read, FileStream file, long length, PartialHash? hash, CancellationToken cancellationToken)
    {
        byte[][] blocks = [ArrayPool<byte>.Shared.Rent(BlockBytes), ArrayPool<byte>.Shared.Rent(BlockBytes)];
        var writing = Task.CompletedTask;
        try
        {
            long copied = 0;
            var current = 0;
            var ended = false;
            while (copied < length && !ended)
            {
                var block = blocks[current];
                var room = (int)Math.Min(BlockBytes, length - copied);
                var filled = 0;
                try
                {
                    // A read gives what has arrived (often a few KiB off a socket): gather a full block first, so the
                    // file gets one large write and the hash one large update, not one of each per network read.
                    while (filled < room && !ended)
                    {
                        var count = await read(block.AsMemory(filled, room - filled), cancellationToken).ConfigureAwait(false);
                        filled += count;
                        ended = count == 0;
                    }
                }
                catch when (filled > 0)
                {
                    await writing.ConfigureAwait(false);
                    await WriteAsync(file, block.AsMemory(0, filled), hash).ConfigureAwait(false);
                    throw;
                }

                // The previous block is in the file (and its failure, if any, known) before this one follows it.
                await writing.ConfigureAwait(false);
                if (filled > 0)
                {
                    writing = WriteAsync(file, block.AsMemory(0, filled), hash);
                    copied += filled;
                    current ^= 1;
                }
            }

            await writing.ConfigureAwait(false);
            return copied;
        }
        finally
        {
            // Never hand a block back to the pool while a write may still read it.
            await Task.WhenAny(writing).ConfigureAwait(false);
            ArrayPool<byte>.Shared.Return(blocks[0]);
            ArrayPool<byte>.Shared.Return(blocks[1]);
        }
    }

    private static async Task WriteAsync(FileStream file, ReadOnlyMemory<byte> block, PartialHash? hash)
    {
        // Not cancelled: a block that arrived is kept whole, or the hash and the file would disagree.
        await file.WriteAsync(block, CancellationToken.None).ConfigureAwait(false);
        hash?.Append(block.Span);
    }
}
