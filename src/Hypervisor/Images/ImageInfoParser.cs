using System.Text.Json;

namespace WebVirt.Hypervisor.Images;

/// <summary>Reads <c>qemu-img info --output=json</c>; keys qemu omits become nulls or defaults.</summary>
internal static class ImageInfoParser
{
    public static ImageInfo Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var specific = root.TryGetProperty("format-specific", out var formatSpecific)
            && formatSpecific.TryGetProperty("data", out var data)
            && data.ValueKind == JsonValueKind.Object
                ? data
                : default;

        return new ImageInfo
        {
            Format = root.GetProperty("format").GetString() ?? "",
            VirtualSize = root.GetProperty("virtual-size").GetInt64(),
            ActualSize = Int64(root, "actual-size"),
            BackingFile = String(root, "backing-filename"),
            BackingFormat = String(root, "backing-filename-format"),
            DataFile = String(specific, "data-file"),
            Encrypted = Boolean(root, "encrypted") ?? false,
            Dirty = Boolean(root, "dirty-flag"),
            Corrupt = Boolean(specific, "corrupt"),
            ClusterSize = Int64(root, "cluster-size"),
            Snapshots = root.TryGetProperty("snapshots", out var snapshots) && snapshots.ValueKind == JsonValueKind.Array
                ? [.. snapshots.EnumerateArray().Select(ParseSnapshot)]
                : [],
        };
    }

    private static ImageSnapshot ParseSnapshot(JsonElement snapshot) => new()
    {
        Id = String(snapshot, "id") ?? "",
        Name = String(snapshot, "name") ?? "",
        VmStateSize = Int64(snapshot, "vm-state-size") ?? 0,
        Date = DateTimeOffset.FromUnixTimeSeconds(Int64(snapshot, "date-sec") ?? 0)
            .AddTicks((Int64(snapshot, "date-nsec") ?? 0) / 100),
        VmClock = TimeSpan.FromSeconds(Int64(snapshot, "vm-clock-sec") ?? 0)
            + TimeSpan.FromTicks((Int64(snapshot, "vm-clock-nsec") ?? 0) / 100),
    };

    private static string? String(JsonElement element, string name) =>
        Find(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static long? Int64(JsonElement element, string name) =>
        Find(element, name) is { ValueKind: JsonValueKind.Number } value ? value.GetInt64() : null;

    private static bool? Boolean(JsonElement element, string name) =>
        Find(element, name) is { ValueKind: JsonValueKind.True or JsonValueKind.False } value ? value.GetBoolean() : null;

    private static JsonElement? Find(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : null;
}
