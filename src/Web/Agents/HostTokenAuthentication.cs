namespace WebVirt.Web.Agents;

internal static class HostTokenAuthentication
{
    /// <summary>The authentication scheme agents use: a per-host token, sent as a bearer token.</summary>
    public const string Scheme = "HostToken";

    /// <summary>The claim carrying the authenticated host's id.</summary>
    public const string HostIdClaim = "webvirt:host-id";
}
