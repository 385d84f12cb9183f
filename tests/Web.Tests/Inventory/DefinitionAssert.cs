using System.Text.Json;
using System.Text.Json.Serialization;
using WebVirt.Shared.Vms;

namespace WebVirt.Web.Tests.Inventory;

/// <summary>Compares definitions deeply (records compare their lists by reference).</summary>
internal static class DefinitionAssert
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static void Equal(VmDefinition expected, VmDefinition actual) =>
        Assert.Equal(JsonSerializer.Serialize(expected, Options), JsonSerializer.Serialize(actual, Options));
}
