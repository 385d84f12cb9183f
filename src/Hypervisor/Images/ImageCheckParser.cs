using System.Text.Json;

namespace WebVirt.Hypervisor.Images;

/// <summary>Reads <c>qemu-img check --output=json</c>; qemu leaves out every counter that is zero.</summary>
internal static class ImageCheckParser
{
    public static ImageCheckResult Parse(string json, string details)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new ImageCheckResult
        {
            Corruptions = Int64(root, "corruptions") ?? 0,
            Leaks = Int64(root, "leaks") ?? 0,
            CheckErrors = Int64(root, "check-errors") ?? 0,
            CorruptionsFixed = Int64(root, "corruptions-fixed") ?? 0,
            LeaksFixed = Int64(root, "leaks-fixed") ?? 0,
            ImageEndOffset = Int64(root, "image-end-offset"),
            TotalClusters = Int64(root, "total-clusters"),
            AllocatedClusters = Int64(root, "allocated-clusters"),
            FragmentedClusters = Int64(root, "fragmented-clusters"),
            CompressedClusters = Int64(root, "compressed-clusters"),
            Details = details,
        };
    }

    private static long? Int64(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;
}
