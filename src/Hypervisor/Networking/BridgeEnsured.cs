namespace WebVirt.Hypervisor.Networking;

/// <summary>The outcome of <see cref="BridgeManager.EnsureBridgeAsync"/>: the bridge as it now is, and whether this call made it.</summary>
public sealed record BridgeEnsured(bool Created, BridgeDescription Bridge);
