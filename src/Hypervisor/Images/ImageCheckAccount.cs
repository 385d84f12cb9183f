namespace WebVirt.Hypervisor.Images;

/// <summary>The user and group qemu-img runs as while it parses an image nobody vouches for.</summary>
public sealed record ImageCheckAccount(int Uid, int Gid);
