using System.Text.Json;

namespace WebVirt.Hypervisor.Qmp;

/// <summary>The parts of <c>query-vnc</c> the agent uses.</summary>
public sealed record QmpVncInfo(bool Enabled, int ClientCount, string? Auth, string? Service)
{
    internal static QmpVncInfo FromJson(JsonElement json) => new(
        QmpJson.Boolean(json, "enabled") ?? false,
        json.TryGetProperty("clients", out var clients) && clients.ValueKind == JsonValueKind.Array ? clients.GetArrayLength() : 0,
        QmpJson.String(json, "auth"),
        QmpJson.String(json, "service"));
}
