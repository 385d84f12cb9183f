namespace WebVirt.Web.Inventory;

/// <summary>An ISO image in a storage pool.</summary>
public sealed class IsoImage
{
    public Guid Id { get; set; }
    public Guid PoolId { get; set; }

    /// <summary>File name inside the pool's folder, unique per pool.</summary>
    public required string FileName { get; set; }

    public long SizeBytes { get; set; }

    /// <summary>Lower-case hex SHA-256 of the file; null until computed (an ISO found on disk rather than uploaded).</summary>
    public string? Sha256 { get; set; }

    public DateTimeOffset UploadedAt { get; set; }
}
