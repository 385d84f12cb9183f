namespace WebVirt.Shared.Vms;

public sealed record PortForward
{
    public PortForwardProtocol Protocol { get; init; } = PortForwardProtocol.Tcp;

    /// <summary>IPv4 address on the host to listen on; loopback unless the user opens it wider.</summary>
    public string HostAddress { get; init; } = "127.0.0.1";

    public required int HostPort { get; init; }
    public required int GuestPort { get; init; }
}
