namespace WebVirt.Shared.Vms;

public enum PortForwardProtocol
{
    Tcp,
    Udp,
}
