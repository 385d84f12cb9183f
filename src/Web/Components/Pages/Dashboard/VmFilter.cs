using WebVirt.Shared.Vms;
using WebVirt.Web.Components.Shared;

namespace WebVirt.Web.Components.Pages.Dashboard;

/// <summary>
/// What the dashboard's filter bar asks for; every criterion left empty lets all VMs through. A new criterion
/// (a folder, say) is one more property here, one more clause in <see cref="Matches"/> and one more control in
/// <c>VmFilterBar</c>.
/// </summary>
public sealed record VmFilter
{
    public static readonly VmFilter None = new();

    /// <summary>The states to show; empty shows every state.</summary>
    public IReadOnlySet<VmPowerState> States { get; init; } = new HashSet<VmPowerState>();

    public Guid? HostId { get; init; }

    public string? Tag { get; init; }

    /// <summary>The resource pool the VMs must be in; compared case-insensitively like pool names are.</summary>
    public string? Pool { get; init; }

    /// <summary>Free text matched against name, host, state and tags.</summary>
    public string? Search { get; init; }

    public bool IsEmpty => States.Count == 0 && HostId is null && Tag is null && Pool is null && string.IsNullOrWhiteSpace(Search);

    /// <summary>Whether <paramref name="vm"/> passes; <paramref name="stateOf"/> gives the state the table shows (Unknown while its host is offline), its stored state when null.</summary>
    public bool Matches(VmRow vm, Func<VmRow, VmPowerState>? stateOf = null)
    {
        var state = stateOf?.Invoke(vm) ?? vm.State;
        if (States.Count > 0 && !States.Contains(state))
        {
            return false;
        }

        if (HostId is { } host && vm.HostId != host)
        {
            return false;
        }

        if (Tag is { } tag && !vm.Tags.Contains(tag, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }

        if (Pool is { } pool && !string.Equals(vm.PoolName, pool, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (string.IsNullOrWhiteSpace(Search))
        {
            return true;
        }

        var text = Search.Trim();
        return vm.Name.Contains(text, StringComparison.OrdinalIgnoreCase)
            || vm.HostName.Contains(text, StringComparison.OrdinalIgnoreCase)
            || VmStateStyle.Label(state).Contains(text, StringComparison.OrdinalIgnoreCase)
            || vm.Tags.Any(t => t.Contains(text, StringComparison.OrdinalIgnoreCase));
    }

    public List<VmRow> Apply(IEnumerable<VmRow> vms, Func<VmRow, VmPowerState>? stateOf = null) => IsEmpty ? [.. vms] : [.. vms.Where(v => Matches(v, stateOf))];
}
