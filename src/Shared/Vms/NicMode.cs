namespace WebVirt.Shared.Vms;

public enum NicMode
{
    /// <summary>QEMU user-mode NAT (slirp): works without privileges.</summary>
    User,

    /// <summary>A tap device that the host has already attached to a bridge.</summary>
    Tap,
}
