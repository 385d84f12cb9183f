using System.Buffers;

namespace WebVirt.Host.Agent.Disks;

/// <summary>
/// Copies an image file byte for byte (so a qcow2 keeps its snapshots and its backing file), leaving holes where
/// the source reads as zeros, into a new file written under a temporary name and renamed when whole.
/// </summary>
internal static class SparseFileCopy
{
    private const int ChunkBytes = 1 << 20;

    /// <param name="progress">Fractions from 0 to 1.</param>
    public static async Task CopyAsync(string source, string destination, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var partial = Path.Combine(Path.GetDirectoryName(destination)!, $".{Path.GetFileName(destination)}.{Guid.NewGuid():N}.partial");
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            await using (var from = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan))
            await using (var to = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                var length = from.Length;
                long done = 0;
                int read;
                while ((read = await from.ReadAsync(buffer.AsMemory(0, ChunkBytes), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (buffer.AsSpan(0, read).ContainsAnyExcept((byte)0))
                    {
                        await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        to.Seek(read, SeekOrigin.Current);
                    }

                    done += read;
                    progress?.Report(length == 0 ? 1 : (double)done / length);
                }

                to.SetLength(done);
                await to.FlushAsync(cancellationToken).ConfigureAwait(false);
                to.Flush(flushToDisk: true);
            }

            File.SetUnixFileMode(partial, File.GetUnixFileMode(source));
            File.Move(partial, destination, overwrite: false);
            progress?.Report(1);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
