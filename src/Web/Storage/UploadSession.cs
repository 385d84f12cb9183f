namespace WebVirt.Web.Storage;

/// <summary>One file's upload as the panel follows it across its chunk requests: the task that shows it.</summary>
internal sealed class UploadSession(Guid taskId, long totalBytes)
{
    /// <summary>How often the task's progress is written: each write is a database commit, and chunks end every few milliseconds.</summary>
    private const long ProgressIntervalMs = 1000;

    private long _nextProgressAt;

    public Guid TaskId => taskId;

    public long TotalBytes => totalBytes;

    /// <summary>True when the task's progress is due to be written again (at most once a second).</summary>
    public bool TakeProgressTurn()
    {
        var now = Environment.TickCount64;
        var due = Interlocked.Read(ref _nextProgressAt);
        return now >= due && Interlocked.CompareExchange(ref _nextProgressAt, now + ProgressIntervalMs, due) == due;
    }
}
