using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using WebVirt.Shared.Vms;

namespace WebVirt.Web.Inventory;

/// <summary>
/// Compares pending definitions by their JSON: the record's lists compare by reference, so record equality
/// would see a copy with equal contents as a change.
/// </summary>
internal sealed class VmDefinitionComparer()
    : ValueComparer<VmDefinition?>(
        (left, right) => Json(left) == Json(right),
        definition => Json(definition).GetHashCode(StringComparison.Ordinal),
        definition => definition)
{
    private static string Json(VmDefinition? definition) =>
        definition is null ? "" : JsonSerializer.Serialize(definition, VmDefinitionJsonConverter.Options);
}
