using System.Text.Json.Nodes;
using WebVirt.Hypervisor.CommandLine;
using WebVirt.Hypervisor.Processes;
using WebVirt.Hypervisor.Qmp;
using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Disks;

/// <summary>
/// Plugs a disk into a running VM and takes it out again, with the same nodes and ids the command line gives a
/// disk at start (file node, format node named after the disk, optional throttle filter, device), so snapshots,
/// backups and resizes treat a hot-plugged disk like any other.
/// </summary>
internal static class DiskHotplug
{
    /// <summary>How long a guest may take, by default, to release an unplugged disk before the detach is given up.</summary>
    public static readonly TimeSpan DefaultUnplugTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Why the disk cannot be plugged into this running VM, or null.</summary>
    public static string? CheckPossible(VmDefinition definition, DiskDefinition disk) => disk switch
    {
        { Bus: DiskBus.Sata } => "stop the VM to add a SATA disk: SATA ports do not take hot-plug",
        { Bus: DiskBus.Scsi } when !definition.Disks.Any(d => d.Bus == DiskBus.Scsi) =>
            "stop the VM to add its first SCSI disk: the SCSI controller is only created at start",
        { Encrypted: true } => "stop the VM to add an encrypted disk: its key is handed to QEMU at start",
        _ => null,
    };

    /// <summary>Adds the disk's nodes and device; whatever was added is removed again when a step fails.</summary>
    public static async Task PlugAsync(VmProcess process, VmDefinition definition, DiskDefinition disk, CancellationToken cancellationToken)
    {
        var qmp = process.Qmp;
        var (direct, noFlush, writeCache) = QemuCommandLine.CacheFlags(disk.Cache);
        var cache = new Func<JsonObject>(() => new JsonObject { ["direct"] = direct, ["no-flush"] = noFlush });
        var discard = disk.Discard ? "unmap" : "ignore";
        var undo = new Stack<Func<Task>>();
        try
        {
            await qmp.BlockdevAddAsync(new JsonObject
            {
                ["driver"] = "file", ["filename"] = disk.Path, ["node-name"] = FileNode(disk.Id), ["cache"] = cache(),
                ["discard"] = discard, ["read-only"] = disk.ReadOnly,
            }, cancellationToken).ConfigureAwait(false);
            undo.Push(() => qmp.BlockdevDelAsync(FileNode(disk.Id), CancellationToken.None));

            await qmp.BlockdevAddAsync(new JsonObject
            {
                ["driver"] = disk.Format == DiskFormat.Qcow2 ? "qcow2" : "raw", ["file"] = FileNode(disk.Id), ["node-name"] = disk.Id,
                ["cache"] = cache(), ["discard"] = discard, ["read-only"] = disk.ReadOnly,
            }, cancellationToken).ConfigureAwait(false);
            undo.Push(() => qmp.BlockdevDelAsync(disk.Id, CancellationToken.None));

            var top = disk.Id;
            if (disk.IoLimits is { IsUnlimited: false } limits)
            {
                var group = QemuCommandLine.ThrottleGroupId(disk.Id);
                await qmp.AddThrottleGroupAsync(group, limits, cancellationToken).ConfigureAwait(false);
                undo.Push(() => qmp.ObjectDelAsync(group, CancellationToken.None));
                top = QemuCommandLine.ThrottleNodeName(disk.Id);
                await qmp.BlockdevAddAsync(new JsonObject
                {
                    ["driver"] = "throttle", ["node-name"] = top, ["file"] = disk.Id, ["throttle-group"] = group,
                }, cancellationToken).ConfigureAwait(false);
                undo.Push(() => qmp.BlockdevDelAsync(QemuCommandLine.ThrottleNodeName(disk.Id), CancellationToken.None));
            }

            await AddDeviceAsync(qmp, definition, disk, top, writeCache, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await UndoAsync(undo).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Takes the device out (the guest must release it), then its nodes and throttle group. Once the device is gone
    /// the disk is out of the guest whatever follows, so a node QEMU will not let go of is reported, not thrown.
    /// A device the guest released after an earlier unplug timed out is already gone: its nodes are still there,
    /// and removing them finishes that detach.
    /// </summary>
    /// <returns>Null, or why a node or the throttle group could not be removed.</returns>
    public static async Task<string?> UnplugAsync(VmProcess process, DiskDefinition disk, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var qmp = process.Qmp;
        var top = await DeviceNodeAsync(qmp, disk.Id, cancellationToken).ConfigureAwait(false);
        var released = await process.UnplugDeviceAsync(disk.Id, timeout, cancellationToken).ConfigureAwait(false);
        try
        {
            // QEMU's own state decides: a disk whose limits were lifted while it ran keeps its filter until then.
            // Without its device, query-block no longer names the node it hung from; the throttle group tells.
            var throttled = released
                ? top == QemuCommandLine.ThrottleNodeName(disk.Id)
                : await HasObjectAsync(qmp, QemuCommandLine.ThrottleGroupId(disk.Id), cancellationToken).ConfigureAwait(false);
            if (throttled)
            {
                top = QemuCommandLine.ThrottleNodeName(disk.Id);
                await qmp.BlockdevDelAsync(top, cancellationToken).ConfigureAwait(false);
                await qmp.ObjectDelAsync(QemuCommandLine.ThrottleGroupId(disk.Id), cancellationToken).ConfigureAwait(false);
            }

            await qmp.BlockdevDelAsync(disk.Id, cancellationToken).ConfigureAwait(false);
            await qmp.BlockdevDelAsync(FileNode(disk.Id), cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (QmpException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>The node a disk's device is attached to (its throttle filter or its format node), as QEMU reports it.</summary>
    public static async Task<string> DeviceNodeAsync(QmpClient qmp, string diskId, CancellationToken cancellationToken)
    {
        // qdev is the id, or a QOM path such as /machine/peripheral/disk0/virtio-backend.
        var device = (await qmp.QueryBlockAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(b => b.Qdev is { } qdev
            && (qdev == diskId || qdev.EndsWith("/" + diskId, StringComparison.Ordinal) || qdev.Contains($"/{diskId}/", StringComparison.Ordinal)));
        return device?.NodeName ?? diskId;
    }

    /// <summary>Whether a QOM object with this id exists in the running QEMU.</summary>
    public static async Task<bool> HasObjectAsync(QmpClient qmp, string id, CancellationToken cancellationToken)
    {
        try
        {
            await qmp.QomGetAsync(id, "type", cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (QmpException ex) when (ex.ErrorClass is "DeviceNotFound")
        {
            return false;
        }
    }

    private static async Task AddDeviceAsync(QmpClient qmp, VmDefinition definition, DiskDefinition disk, string node, bool writeCache, CancellationToken cancellationToken)
    {
        JsonObject Device(string? bus, bool slotZero = false)
        {
            var device = new JsonObject
            {
                ["driver"] = disk.Bus == DiskBus.Scsi ? "scsi-hd" : "virtio-blk-pci",
                ["id"] = disk.Id, ["drive"] = node, ["write-cache"] = writeCache ? "on" : "off",
            };
            if (bus is not null)
            {
                device["bus"] = bus;
            }

            // A root port's guest only looks at slot 0: QEMU would put a second device on another slot, unseen.
            if (slotZero)
            {
                device["addr"] = "0";
            }

            return device;
        }

        if (disk.Bus == DiskBus.Scsi)
        {
            await qmp.DeviceAddAsync(Device("scsi0.0"), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (definition.Machine != MachineType.Q35)
        {
            // i440fx's root bus takes hot-plug directly.
            await qmp.DeviceAddAsync(Device(null), cancellationToken).ConfigureAwait(false);
            return;
        }

        // q35: the first free root port takes it; an occupied one refuses slot 0 and the next is tried.
        QmpException? last = null;
        for (var port = 0; port < QemuCommandLine.HotplugPorts; port++)
        {
            try
            {
                await qmp.DeviceAddAsync(Device(QemuCommandLine.HotplugPortId(port), slotZero: true), cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (QmpException ex) when (ex.ErrorClass is not null)
            {
                last = ex;
            }
        }

        throw new QmpException(
            $"No free hot-plug slot: all {QemuCommandLine.HotplugPorts} PCIe root ports are taken (or the VM was started before it had them); stop the VM to add the disk. QEMU said: {last?.Description}",
            last);
    }

    private static async Task UndoAsync(Stack<Func<Task>> undo)
    {
        while (undo.TryPop(out var step))
        {
            try
            {
                await step().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is QmpException or TimeoutException)
            {
                // Best effort: the step before it failed already, and that failure is what the caller reports.
            }
        }
    }

    private static string FileNode(string diskId) => diskId + "-file";
}
