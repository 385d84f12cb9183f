namespace WebVirt.Hypervisor.PortForwards;

/// <summary>
/// Where this host lets a VM's user-mode NIC listen (<c>Hypervisor:PortForwards</c>). A forward is a listening
/// socket on the host that the guest answers: on a public address it exposes the guest to the network, and on
/// a port of the panel's own host it can take cookies meant for the panel (cookies are not isolated by port).
/// So only what the administrator allows: by default loopback, unprivileged ports, never a reserved port.
/// </summary>
public sealed class PortForwardOptions
{
    /// <summary>The default of <see cref="AllowedAddresses"/>.</summary>
    public static readonly IReadOnlyList<string> LoopbackOnly = ["127.0.0.1"];

    /// <summary>
    /// The IPv4 addresses a forward may listen on; null means <see cref="LoopbackOnly"/>. <c>0.0.0.0</c> (every
    /// address) is allowed only when it is listed itself.
    /// </summary>
    public string[]? AllowedAddresses { get; set; }

    /// <summary>The lowest host port a forward may take (default 1025: ports below belong to the host's services).</summary>
    public int MinPort { get; set; } = 1025;

    public int MaxPort { get; set; } = 65535;

    /// <summary>Host ports no forward may take, for example the panel's when a standalone agent runs beside it.</summary>
    public int[]? ReservedPorts { get; set; }

    /// <summary>Ports added in code: the embedded agent reserves the ports its panel listens on.</summary>
    public ISet<int> PanelPorts { get; } = new HashSet<int>();

    public IReadOnlyList<string> EffectiveAllowedAddresses => AllowedAddresses is { Length: > 0 } list ? list : LoopbackOnly;
}
