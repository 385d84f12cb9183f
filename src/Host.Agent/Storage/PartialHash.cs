using System.Security.Cryptography;

namespace WebVirt.Host.Agent.Storage;

/// <summary>
/// The SHA-256 of a partial file's first <see cref="Length"/> bytes, carried from chunk to chunk so that the
/// last chunk needs no second pass over the file. Lost with the agent; the file is read again then.
/// </summary>
internal sealed class PartialHash : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long Length { get; private set; }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        _hash.AppendData(bytes);
        Length += bytes.Length;
    }

    public string Finish() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    public void Dispose() => _hash.Dispose();
}
