using WebVirt.Web.Inventory;

namespace WebVirt.Web.Storage;

public sealed record AddPoolRequest(string? Name, string? Path, StorageContent ContentTypes);
