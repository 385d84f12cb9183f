using System.Collections;
using System.Runtime.CompilerServices;
using WebVirt.Web.Consoles;
using WebVirt.Web.Storage;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Tests.Security;

/// <summary>Reads whatever a UI operation returned as "refused" or not, and why, whatever its result type.</summary>
internal static class OperationRefusals
{
    /// <summary>
    /// Null when the call was not refused; otherwise the refusal ("Forbidden: …", "NotFound: …", "nothing" for an empty
    /// list, false or a null ticket: what operations that filter give a user who may see nothing).
    /// </summary>
    public static async Task<string?> RefusalOfAsync(Func<Task<object?>> call)
    {
        object? result;
        try
        {
            result = await call();
        }
        catch (ShareLinkException refused)
        {
            return $"refused: {refused.Message}";
        }

        return result switch
        {
            OperationResult r => Of(r),
            PoolTarget target => target.Refusal is { } refusal ? Of(refusal) : null,
            BulkPowerResult bulk => bulk.Results.All(r => Of(r.Result) is not null) ? Of(bulk.Results[0].Result) : null,
            ITuple tuple => tuple[0] is OperationResult first ? Of(first) : null,
            bool allowed => allowed ? null : "false",
            null => "null",
            string => null,
            IEnumerable items => items.Cast<object>().Any() ? null : "nothing",
            _ => null,
        };
    }

    /// <summary>Forbidden and not-found are refusals; a validation error or a host failure would mean the check let it through.</summary>
    private static string? Of(OperationResult result) =>
        result.Status is OperationStatus.Forbidden or OperationStatus.NotFound ? $"{result.Status}: {result.Message}" : null;
}
