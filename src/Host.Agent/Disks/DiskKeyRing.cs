using System.Collections.Concurrent;
using WebVirt.Host.Agent.Vms;
using WebVirt.Hypervisor.Images;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Disks;

/// <summary>
/// Keys of LUKS-encrypted disks. The panel keeps them (encrypted with Data Protection) and hands them over before
/// it defines or starts a VM; the agent holds them in memory only and passes them to qemu-img and QEMU through
/// 0600 files, never on a command line or in a log.
/// </summary>
internal sealed class DiskKeyRing(QemuImg qemuImg)
{
    private const int MaxKeyLength = 1024;
    private readonly ConcurrentDictionary<Guid, IReadOnlyDictionary<string, string>> _diskKeys = new();

    public Task<AgentReply> ProvideDiskKeys(Guid uuid, IReadOnlyDictionary<string, string> keys)
    {
        if (keys is null || keys.Count == 0 || keys.Any(k => string.IsNullOrEmpty(k.Key) || string.IsNullOrEmpty(k.Value) || k.Value.Length > MaxKeyLength || k.Value.Any(char.IsControl)))
        {
            return Task.FromResult(AgentReply.Failure(AgentErrorKind.Invalid, $"Disk keys must be 1 to {MaxKeyLength} printable characters, one per disk id."));
        }

        _diskKeys[uuid] = new Dictionary<string, string>(keys, StringComparer.Ordinal);
        return Task.FromResult(AgentReply.Success());
    }

    public IReadOnlyDictionary<string, string> DiskKeysOf(Guid uuid) =>
        _diskKeys.TryGetValue(uuid, out var keys) ? keys : new Dictionary<string, string>();

    /// <summary>Creates a LUKS qcow2 with the key the panel provided, through a 0600 file in a 0700 temporary folder.</summary>
    public async Task CreateEncryptedDiskAsync(VmDefinition definition, DiskDefinition disk, long sizeBytes, CancellationToken cancellationToken)
    {
        if (disk.Format != DiskFormat.Qcow2)
        {
            throw new ArgumentException($"Disk '{disk.Id}': only qcow2 disks can be encrypted.");
        }

        if (!DiskKeysOf(definition.Uuid).TryGetValue(disk.Id, out var key))
        {
            throw new ArgumentException($"Disk '{disk.Id}' is encrypted but the panel provided no key for it.");
        }

        using var file = DiskKeyFile.Write(key);
        await qemuImg.CreateEncryptedAsync(disk.Path, sizeBytes, file.Path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The key of VM <paramref name="vm"/>'s encrypted disk in a 0600 file for one qemu-img run, or null for a disk that is
    /// not encrypted. Backups, restores and clones of a disk use the disk's own key.
    /// </summary>
    public DiskKeyFile? KeyFileOf(Guid vm, DiskDefinition disk)
    {
        if (!disk.Encrypted)
        {
            return null;
        }

        return DiskKeysOf(vm).TryGetValue(disk.Id, out var key)
            ? DiskKeyFile.Write(key)
            : throw new ImageException($"Disk '{disk.Id}' is encrypted, and the panel has not provided its key to this host.");
    }
}
