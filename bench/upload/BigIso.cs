using System.Diagnostics;
using System.Security.Cryptography;

namespace WebVirt.Bench.Upload;

/// <summary>The benchmark's source file and its baseline copy.</summary>
internal static class BigIso
{
    private const int BufferBytes = 1 << 20;

    /// <summary>Writes <paramref name="iso"/>'s bytes followed by random bytes up to <paramref name="length"/>; returns the SHA-256.</summary>
    public static string Write(string path, string iso, long length)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes);
        var head = File.ReadAllBytes(iso);
        output.Write(head);
        hash.AppendData(head);
        var buffer = new byte[BufferBytes];
        for (var written = (long)head.Length; written < length; written += buffer.Length)
        {
            var count = (int)Math.Min(buffer.Length, length - written);
            RandomNumberGenerator.Fill(buffer.AsSpan(0, count));
            output.Write(buffer, 0, count);
            hash.AppendData(buffer.AsSpan(0, count));
        }

        output.Flush(flushToDisk: true);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Reads the file and writes it anew, then fsyncs: the least any receiver of these bytes must do. Seconds taken.</summary>
    public static double PlainCopy(string source, string target)
    {
        var stopwatch = Stopwatch.StartNew();
        using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, BufferBytes, FileOptions.SequentialScan))
        using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            input.CopyTo(output, BufferBytes);
            output.Flush(flushToDisk: true);
        }

        return stopwatch.Elapsed.TotalSeconds;
    }
}
