using System.Text.Json;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace WebVirt.Web.Inventory;

/// <summary>Stores a VM's tags as one JSON array: a handful of short strings, always read with the VM.</summary>
internal sealed class TagListConverter()
    : ValueConverter<List<string>, string>(tags => JsonSerializer.Serialize(tags, (JsonSerializerOptions?)null), json => Deserialize(json))
{
    private static List<string> Deserialize(string json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<string>>(json) ?? [];
}
