namespace WebVirt.Shared.Storage;

/// <summary>What a file in a pool is, judged by its name (its content was checked when it arrived).</summary>
public enum PoolFileKind
{
    Iso,
    DiskImage,
    Other,

    /// <summary>An upload or download not finished yet; it may be resumed or discarded.</summary>
    Partial,
}
