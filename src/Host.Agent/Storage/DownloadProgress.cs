using WebVirt.Shared.Storage;

namespace WebVirt.Host.Agent.Storage;

/// <summary>How far one download is; written by its transfer, read by the panel's polls.</summary>
internal sealed class DownloadProgress(Guid transferId)
{
    private long _received;
    private long? _total;
    private volatile UploadResult? _result;

    public DateTimeOffset? EndedAt { get; private set; }

    public void Add(int bytes) => Interlocked.Add(ref _received, bytes);

    public void SetTotal(long? total) => _total = total;

    public void End(UploadResult result)
    {
        EndedAt = DateTimeOffset.UtcNow;
        _result = result;
    }

    public DownloadStatus Snapshot() => new()
    {
        TransferId = transferId,
        ReceivedBytes = Interlocked.Read(ref _received),
        TotalBytes = _total,
        Result = _result,
    };
}
