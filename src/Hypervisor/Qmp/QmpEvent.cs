using System.Text.Json;

namespace WebVirt.Hypervisor.Qmp;

/// <summary>
/// An asynchronous QMP event. <see cref="Data"/> is an empty object when QEMU sent none, so
/// callers can use <c>TryGetProperty</c> without checking the kind first.
/// </summary>
public sealed record QmpEvent(string Name, JsonElement Data, DateTimeOffset Timestamp);
