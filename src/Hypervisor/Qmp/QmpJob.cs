using System.Text.Json;

namespace WebVirt.Hypervisor.Qmp;

/// <summary>
/// One entry of <c>query-jobs</c>. A failed job also ends <c>concluded</c>, with <see cref="Error"/> set;
/// concluded jobs stay listed until <c>job-dismiss</c>.
/// </summary>
public sealed record QmpJob
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    public required string Status { get; init; }
    public long CurrentProgress { get; init; }
    public long TotalProgress { get; init; }
    public string? Error { get; init; }

    internal static QmpJob FromJson(JsonElement json) => new()
    {
        Id = QmpJson.RequiredString(json, "id"),
        Type = QmpJson.String(json, "type") ?? "",
        Status = QmpJson.RequiredString(json, "status"),
        CurrentProgress = QmpJson.Int64(json, "current-progress") ?? 0,
        TotalProgress = QmpJson.Int64(json, "total-progress") ?? 0,
        Error = QmpJson.String(json, "error"),
    };
}
