using System.Text.Json;
using System.Text.Json.Nodes;
using WebVirt.Shared.Vms;

namespace WebVirt.Hypervisor.Qmp;

// Disk hot-plug, growth and throttling on a running VM. Nodes are -blockdev node names, devices qdev ids.
public sealed partial class QmpClient
{
    /// <summary>Grows the image under a node (the guest sees the new size at once); QEMU refuses a shrink of a node in use.</summary>
    public Task BlockResizeAsync(string nodeName, long sizeBytes, CancellationToken cancellationToken = default) =>
        ExecuteAsync("block_resize", new JsonObject { ["node-name"] = nodeName, ["size"] = sizeBytes }, cancellationToken: cancellationToken);

    /// <summary>Adds a block node; <paramref name="options"/> are blockdev-add's arguments (driver, node-name, …).</summary>
    public Task BlockdevAddAsync(JsonObject options, CancellationToken cancellationToken = default) =>
        ExecuteAsync("blockdev-add", options, cancellationToken: cancellationToken);

    /// <summary>Removes a block node that nothing uses any more (its device deleted, no node on top).</summary>
    public Task BlockdevDelAsync(string nodeName, CancellationToken cancellationToken = default) =>
        ExecuteAsync("blockdev-del", new JsonObject { ["node-name"] = nodeName }, cancellationToken: cancellationToken);

    /// <summary>Plugs a device; <paramref name="options"/> are device_add's arguments (driver, id, bus, drive, …).</summary>
    public Task DeviceAddAsync(JsonObject options, CancellationToken cancellationToken = default) =>
        ExecuteAsync("device_add", options, cancellationToken: cancellationToken);

    /// <summary>Asks the guest to release a device; it is gone only once DEVICE_DELETED arrives for its id.</summary>
    public Task DeviceDelAsync(string id, CancellationToken cancellationToken = default) =>
        ExecuteAsync("device_del", new JsonObject { ["id"] = id }, cancellationToken: cancellationToken);

    /// <summary>Creates a throttle group; an absent limit is 0, which QEMU reads as unlimited.</summary>
    public Task AddThrottleGroupAsync(string id, DiskIoLimits limits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var arguments = new JsonObject { ["qom-type"] = "throttle-group", ["id"] = id, ["limits"] = ThrottleLimits(limits) };
        return ExecuteAsync("object-add", arguments, cancellationToken: cancellationToken);
    }

    public Task ObjectDelAsync(string id, CancellationToken cancellationToken = default) =>
        ExecuteAsync("object-del", new JsonObject { ["id"] = id }, cancellationToken: cancellationToken);

    /// <summary>Changes a throttle group's limits at once, for every node in the group.</summary>
    public Task SetThrottleLimitsAsync(string groupId, DiskIoLimits limits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return QomSetAsync(groupId, "limits", ThrottleLimits(limits), cancellationToken);
    }

    /// <summary>A throttle group's current limits as QEMU holds them (0 = unlimited becomes null).</summary>
    public async Task<DiskIoLimits> GetThrottleLimitsAsync(string groupId, CancellationToken cancellationToken = default)
    {
        var limits = await QomGetAsync(groupId, "limits", cancellationToken).ConfigureAwait(false);
        long? Read(string name) => QmpJson.Int64(limits, name) is { } value and > 0 ? value : null;
        return new DiskIoLimits
        {
            ReadBytesPerSecond = Read("bps-read"),
            WriteBytesPerSecond = Read("bps-write"),
            ReadIops = Read("iops-read"),
            WriteIops = Read("iops-write"),
        };
    }

    /// <summary>Sets a QOM property; <paramref name="path"/> is an object's id or a full QOM path.</summary>
    public Task QomSetAsync(string path, string property, JsonNode value, CancellationToken cancellationToken = default) =>
        ExecuteAsync("qom-set", new JsonObject { ["path"] = path, ["property"] = property, ["value"] = value }, cancellationToken: cancellationToken);

    public async Task<JsonElement> QomGetAsync(string path, string property, CancellationToken cancellationToken = default) =>
        await ExecuteAsync("qom-get", new JsonObject { ["path"] = path, ["property"] = property }, cancellationToken: cancellationToken).ConfigureAwait(false);

    private static JsonObject ThrottleLimits(DiskIoLimits limits) => new()
    {
        ["bps-read"] = limits.ReadBytesPerSecond ?? 0,
        ["bps-write"] = limits.WriteBytesPerSecond ?? 0,
        ["iops-read"] = limits.ReadIops ?? 0,
        ["iops-write"] = limits.WriteIops ?? 0,
    };
}
