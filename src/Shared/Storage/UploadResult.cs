using WebVirt.Shared.Agents;

namespace WebVirt.Shared.Storage;

/// <summary>
/// The agent's answer at the end of one upload tunnel, sent as the tunnel's last (text, JSON) message before it
/// closes: how many bytes the partial file holds now, and for the last chunk whether the file was accepted.
/// </summary>
public sealed record UploadResult
{
    public bool Ok => Error is null;

    public AgentErrorKind? ErrorKind { get; init; }

    public string? Error { get; init; }

    /// <summary>Bytes the partial file holds after this chunk (where the next chunk starts).</summary>
    public long ReceivedBytes { get; init; }

    /// <summary>True once the whole file was checked and moved into the pool.</summary>
    public bool Complete { get; init; }

    /// <summary>Lower-case hex SHA-256 of the whole file, once complete.</summary>
    public string? Sha256 { get; init; }

    /// <summary>The format qemu-img probed ("raw" for an ISO, or "qcow2"), once complete.</summary>
    public string? Format { get; init; }

    /// <summary>The file's path in the pool, once complete.</summary>
    public string? Path { get; init; }

    public static UploadResult Failure(AgentErrorKind kind, string error, long receivedBytes) =>
        new() { ErrorKind = kind, Error = error, ReceivedBytes = receivedBytes };
}
