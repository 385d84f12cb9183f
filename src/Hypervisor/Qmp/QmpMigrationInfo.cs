using System.Text.Json;

namespace WebVirt.Hypervisor.Qmp;

/// <summary>
/// The reply to <c>query-migrate</c>. <see cref="Status"/> is <c>none</c> when no migration was
/// ever started (QEMU then replies <c>{}</c>); byte counts come from the <c>ram</c> section and
/// are null until QEMU reports them.
/// </summary>
public sealed record QmpMigrationInfo
{
    public required string Status { get; init; }
    public long? TransferredBytes { get; init; }
    public long? RemainingBytes { get; init; }
    public long? TotalBytes { get; init; }
    public long? DowntimeMs { get; init; }
    public long? ExpectedDowntimeMs { get; init; }
    public long? TotalTimeMs { get; init; }
    public string? ErrorDescription { get; init; }

    internal static QmpMigrationInfo FromJson(JsonElement json)
    {
        var ram = QmpJson.Object(json, "ram");
        return new QmpMigrationInfo
        {
            Status = QmpJson.String(json, "status") ?? "none",
            TransferredBytes = ram is { } r1 ? QmpJson.Int64(r1, "transferred") : null,
            RemainingBytes = ram is { } r2 ? QmpJson.Int64(r2, "remaining") : null,
            TotalBytes = ram is { } r3 ? QmpJson.Int64(r3, "total") : null,
            DowntimeMs = QmpJson.Int64(json, "downtime"),
            ExpectedDowntimeMs = QmpJson.Int64(json, "expected-downtime"),
            TotalTimeMs = QmpJson.Int64(json, "total-time"),
            ErrorDescription = QmpJson.String(json, "error-desc"),
        };
    }
}
