using WebVirt.Web.Inventory;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Storage;

/// <summary>A checked request's host and pool, or why the request was refused.</summary>
internal sealed record PoolTarget(HostRecord? Host, StoragePool? Pool, OperationResult? Refusal);
