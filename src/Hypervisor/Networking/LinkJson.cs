using System.Text.Json;

namespace WebVirt.Hypervisor.Networking;

/// <summary>Reads iproute2's JSON output (<c>ip -json -details link show</c>, <c>ip -json addr show</c>).</summary>
internal static class LinkJson
{
    public static IReadOnlyList<LinkDetails> ParseLinks(string json)
    {
        using var document = Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(ParseLink)];
    }

    /// <summary>The addresses as "address/prefix" (IPv4 and IPv6), in ip's order.</summary>
    public static IReadOnlyList<string> ParseAddresses(string json)
    {
        using var document = Parse(json);
        var addresses = new List<string>();
        foreach (var link in document.RootElement.EnumerateArray())
        {
            if (!link.TryGetProperty("addr_info", out var infos))
            {
                continue;
            }

            foreach (var info in infos.EnumerateArray())
            {
                if (info.TryGetProperty("local", out var local) && info.TryGetProperty("prefixlen", out var prefix))
                {
                    addresses.Add($"{local.GetString()}/{prefix.GetInt32()}");
                }
            }
        }

        return addresses;
    }

    private static JsonDocument Parse(string json)
    {
        // ip prints nothing at all (not "[]") for some empty answers.
        return JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "[]" : json);
    }

    private static LinkDetails ParseLink(JsonElement link)
    {
        var info = link.TryGetProperty("linkinfo", out var linkInfo) ? linkInfo : default;
        var data = info.ValueKind == JsonValueKind.Object && info.TryGetProperty("info_data", out var infoData) ? infoData : default;
        var kind = info.ValueKind == JsonValueKind.Object && info.TryGetProperty("info_kind", out var k) ? k.GetString() ?? "" : "";
        return new LinkDetails
        {
            Name = link.GetProperty("ifname").GetString()!,
            Kind = kind,
            Mtu = link.GetProperty("mtu").GetInt32(),
            Up = link.TryGetProperty("flags", out var flags) && flags.EnumerateArray().Any(flag => flag.GetString() == "UP"),
            OperState = String(link, "operstate") ?? "UNKNOWN",
            Master = String(link, "master"),
            Alias = String(link, "ifalias"),
            VlanFiltering = kind == "bridge" && Number(data, "vlan_filtering") == 1,
            TunType = kind == "tun" ? String(data, "type") : null,
            TunMultiQueue = kind == "tun" && data.ValueKind == JsonValueKind.Object && data.TryGetProperty("multi_queue", out var mq) && mq.ValueKind == JsonValueKind.True,
            TunOwner = kind == "tun" && Number(data, "user") is { } uid and >= 0 ? (uint)uid : null,
        };
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static long? Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetInt64()
            : null;
}
