namespace WebVirt.Web.Storage;

/// <summary>Limits of the ISO library, bound from the <c>Storage</c> section.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>The largest file an upload or a download may bring into a pool.</summary>
    public long MaxUploadBytes { get; set; } = 64L << 30;

    /// <summary>The largest single upload request (one chunk); the browser sends <see cref="ChunkBytes"/>.</summary>
    public long MaxChunkBytes { get; set; } = 64L << 20;

    /// <summary>The chunk size the upload page slices files into.</summary>
    public int ChunkBytes { get; set; } = 8 << 20;
}
