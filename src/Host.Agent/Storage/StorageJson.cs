using System.Text.Json;
using System.Text.Json.Serialization;

namespace WebVirt.Host.Agent.Storage;

/// <summary>How the agent writes what it sends over a tunnel and keeps on disk: web defaults, enums as names.</summary>
internal static class StorageJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
}
