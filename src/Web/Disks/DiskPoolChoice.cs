using WebVirt.Web.Storage;

namespace WebVirt.Web.Disks;

/// <summary>A pool a disk can go into or come from, and whether the user may take space in it.</summary>
public sealed record DiskPoolChoice(PoolView Pool, bool CanAllocate);
