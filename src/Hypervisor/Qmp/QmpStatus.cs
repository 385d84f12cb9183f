using System.Text.Json;

namespace WebVirt.Hypervisor.Qmp;

/// <summary>
/// The reply to <c>query-status</c>. <see cref="Status"/> is QEMU's run state: running, paused,
/// shutdown, inmigrate, postmigrate, prelaunch, internal-error, io-error, …
/// </summary>
public sealed record QmpStatus(string Status, bool Running, bool? Singlestep)
{
    internal static QmpStatus FromJson(JsonElement json) => new(
        QmpJson.RequiredString(json, "status"),
        QmpJson.Boolean(json, "running") ?? false,
        QmpJson.Boolean(json, "singlestep"));
}
