namespace WebVirt.Hypervisor.Networking;

/// <summary>
/// What marks an interface as made by WebVirt: its ifalias, set right after creation. Only marked interfaces are
/// ever deleted, so a bridge or tap an administrator made (and WebVirt adopted) survives anything WebVirt does.
/// </summary>
internal static class NetworkMarker
{
    public const string ManagedAlias = "webvirt-managed";
}
