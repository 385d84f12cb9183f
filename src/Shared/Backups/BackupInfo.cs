using WebVirt.Shared.Vms;

namespace WebVirt.Shared.Backups;

/// <summary>One backup of a VM: compressed qcow2 disks, the definition at backup time, and a SHA-256 per file.</summary>
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
}
