using WebVirt.Shared.Vms;

namespace WebVirt.Shared.Backups;

/// <summary>One backup of a VM: qcow2 disks (compressed, or encrypted and uncompressed), the definition at backup time, and a SHA-256 per file.</summary>
public sealed record BackupInfo
{
    /// <summary>Sortable id (UTC time stamp, <c>20261201T031500Z</c>).</summary>
    public required string Id { get; init; }
    public required Guid VmUuid { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Bytes on disk of every file of the backup.</summary>
    public long SizeBytes { get; init; }

    public required VmDefinition Definition { get; init; }

    /// <summary>File name → lowercase hex SHA-256, as written when the backup was made.</summary>
    public IReadOnlyDictionary<string, string> Checksums { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Some disk was encrypted: its image in the backup is LUKS-encrypted with that disk's key, and uncompressed (qcow2
    /// cannot compress encrypted clusters). Restoring or verifying it needs the key, which the panel keeps.
    /// </summary>
    public bool Encrypted { get; init; }
}
