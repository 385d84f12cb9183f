using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace WebVirt.Web.Inventory;

/// <summary>Lets change tracking see a replaced or edited tag list.</summary>
internal sealed class TagListComparer()
    : ValueComparer<List<string>>(
        (left, right) => left == null ? right == null : right != null && left.SequenceEqual(right),
        tags => tags.Aggregate(0, (hash, tag) => HashCode.Combine(hash, tag.GetHashCode(StringComparison.Ordinal))),
        tags => tags.ToList());
