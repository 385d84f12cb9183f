namespace WebVirt.Hypervisor.Networking;

/// <summary>The two iproute2 programs the host's network plumbing runs.</summary>
internal enum IpTool
{
    Ip,
    Bridge,
}
