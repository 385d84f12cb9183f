using System.Text.Json;

namespace WebVirt.Hypervisor.Qmp;

/// <summary>
/// One entry of <c>query-block</c>, flattened. Disks added with <c>-blockdev</c> have an empty
/// <see cref="Device"/>: identify them by <see cref="Qdev"/> or <see cref="NodeName"/>.
/// The medium members are null when no medium is inserted (an empty CD-ROM drive).
/// </summary>
public sealed record QmpBlockDevice
{
    public required string Device { get; init; }
    public string? Qdev { get; init; }
    public bool Removable { get; init; }
    public bool Locked { get; init; }
    public bool? TrayOpen { get; init; }
    public string? IoStatus { get; init; }
    public string? NodeName { get; init; }
    public string? File { get; init; }
    public string? Format { get; init; }
    public bool ReadOnly { get; init; }

    public bool HasMedium => File is not null;

    internal static QmpBlockDevice FromJson(JsonElement json)
    {
        var inserted = QmpJson.Object(json, "inserted");
        return new QmpBlockDevice
        {
            Device = QmpJson.String(json, "device") ?? "",
            Qdev = QmpJson.String(json, "qdev"),
            Removable = QmpJson.Boolean(json, "removable") ?? false,
            Locked = QmpJson.Boolean(json, "locked") ?? false,
            TrayOpen = QmpJson.Boolean(json, "tray_open"),
            IoStatus = QmpJson.String(json, "io-status"),
            NodeName = inserted is { } i1 ? QmpJson.String(i1, "node-name") : null,
            File = inserted is { } i2 ? QmpJson.String(i2, "file") : null,
            Format = inserted is { } i3 ? QmpJson.String(i3, "drv") : null,
            ReadOnly = inserted is { } i4 && (QmpJson.Boolean(i4, "ro") ?? false),
        };
    }
}
