namespace WebVirt.Web.Disks;

/// <summary>Grows a disk to <see cref="SizeMiB"/> (its new total size); shrinking is refused.</summary>
public sealed record ResizeVmDiskRequest(long SizeMiB);
