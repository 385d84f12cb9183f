using WebVirt.Shared.Vms;

namespace WebVirt.Web.Search;

/// <summary>One result of the top bar's search: a VM or a host, and where selecting it goes.</summary>
public sealed record SearchHit(SearchHitKind Kind, Guid Id, string Name, string Detail, VmPowerState? State, string Href)
{
    public static string VmHref(Guid vmId) => $"/vms/{vmId}";

    /// <summary>Hosts have no page of their own yet: the dashboard shows their cards. Change here when one lands.</summary>
    public static string HostHref(Guid hostId) => "/";
}
