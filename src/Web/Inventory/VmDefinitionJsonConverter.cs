using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using WebVirt.Shared.Vms;

namespace WebVirt.Web.Inventory;

/// <summary>
/// Stores a pending definition as JSON, enums by name. It is a snapshot to hand to the agent later, never
/// queried, so one column is enough.
/// </summary>
internal sealed class VmDefinitionJsonConverter()
    : ValueConverter<VmDefinition?, string?>(definition => Serialize(definition), json => Deserialize(json))
{
    internal static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private static string? Serialize(VmDefinition? definition) => definition is null ? null : JsonSerializer.Serialize(definition, Options);

    private static VmDefinition? Deserialize(string? json) => string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<VmDefinition>(json, Options);
}
