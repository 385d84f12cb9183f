namespace WebVirt.Web.Inventory;

/// <summary>What a storage pool may hold.</summary>
[Flags]
public enum StorageContent
{
    None = 0,
    Iso = 1,
    Images = 2,
    Backups = 4,
}
