using Microsoft.EntityFrameworkCore.ChangeTracking;
using WebVirt.Shared.Vms;

namespace WebVirt.Web.Inventory;

/// <summary>Lets change tracking see a replaced or edited port-forward list (records compare by value).</summary>
internal sealed class PortForwardListComparer()
    : ValueComparer<IReadOnlyList<PortForward>>(
        (left, right) => left == null ? right == null : right != null && left.SequenceEqual(right),
        list => list.Aggregate(0, (hash, forward) => HashCode.Combine(hash, forward)),
        list => list.ToArray());
