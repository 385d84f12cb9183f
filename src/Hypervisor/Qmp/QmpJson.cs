using System.Text.Json;

namespace WebVirt.Hypervisor.Qmp;

/// <summary>Lenient readers for QMP replies: optional members are often absent, depending on state.</summary>
internal static class QmpJson
{
    public static string? String(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static string RequiredString(JsonElement json, string name) =>
        String(json, name) ?? throw new QmpException($"QMP reply lacks the string member '{name}': {Truncate(json)}");

    public static bool? Boolean(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => null,
            }
            : null;

    public static long? Int64(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : null;

    public static JsonElement? Object(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : null;

    public static JsonElement.ArrayEnumerator Array(JsonElement json) =>
        json.ValueKind == JsonValueKind.Array
            ? json.EnumerateArray()
            : throw new QmpException($"QMP reply is not an array: {Truncate(json)}");

    public static string Truncate(JsonElement json)
    {
        var text = json.GetRawText();
        return text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 200), "…");
    }
}
