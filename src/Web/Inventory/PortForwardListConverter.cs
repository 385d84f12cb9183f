using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using WebVirt.Shared.Vms;

namespace WebVirt.Web.Inventory;

/// <summary>Stores a NIC's port forwards as one JSON array, enums by name.</summary>
internal sealed class PortForwardListConverter()
    : ValueConverter<IReadOnlyList<PortForward>, string>(list => Serialize(list), json => Deserialize(json))
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private static string Serialize(IReadOnlyList<PortForward> list) => JsonSerializer.Serialize(list, Options);

    private static IReadOnlyList<PortForward> Deserialize(string json) =>
        JsonSerializer.Deserialize<PortForward[]>(json, Options) ?? [];
}
