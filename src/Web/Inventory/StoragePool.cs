namespace WebVirt.Web.Inventory;

/// <summary>A folder on a host that holds ISOs, disk images or backups.</summary>
public sealed class StoragePool
{
    public Guid Id { get; set; }
    public Guid HostId { get; set; }

    /// <summary>Unique per host, compared case-insensitively.</summary>
    public required string Name { get; set; }

    /// <summary>Absolute path on the host.</summary>
    public required string Path { get; set; }

    public StorageContent ContentTypes { get; set; }
}
