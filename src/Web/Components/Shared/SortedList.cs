namespace WebVirt.Web.Components.Shared;

/// <summary>Keeps a page's list in name order as single items change, without re-reading the rest.</summary>
internal static class SortedList
{
    /// <summary>Removes the item with this id and inserts its new version (none when it is gone) in name order.</summary>
    public static void Replace<T>(List<T> items, Guid id, T? item, Func<T, Guid> idOf, Func<T, string> nameOf)
        where T : class
    {
        items.RemoveAll(i => idOf(i) == id);
        if (item is not null)
        {
            var index = items.FindIndex(i => StringComparer.OrdinalIgnoreCase.Compare(nameOf(i), nameOf(item)) > 0);
            items.Insert(index < 0 ? items.Count : index, item);
        }
    }
}
