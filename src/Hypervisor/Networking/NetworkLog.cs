using Microsoft.Extensions.Logging;

namespace WebVirt.Hypervisor.Networking;

internal static partial class NetworkLog
{
    [LoggerMessage(EventId = 2200, Level = LogLevel.Debug, Message = "Running {Program} {Arguments} to {Purpose}")]
    public static partial void Running(ILogger logger, string program, IReadOnlyList<string> arguments, string purpose);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Debug, Message = "{Program} exited with {ExitCode} after {ElapsedMilliseconds} ms ({Purpose})")]
    public static partial void Exited(ILogger logger, string program, int exitCode, long elapsedMilliseconds, string purpose);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "Could not {Purpose}: {Error}")]
    public static partial void Failed(ILogger logger, string purpose, string error);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Information, Message = "Created bridge {Bridge} (MTU {Mtu}, VLAN-aware {VlanAware})")]
    public static partial void BridgeCreated(ILogger logger, string bridge, int mtu, bool vlanAware);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Information, Message = "Adopted the existing bridge {Bridge} as it is; WebVirt will never delete it")]
    public static partial void BridgeAdopted(ILogger logger, string bridge);

    [LoggerMessage(EventId = 2205, Level = LogLevel.Information, Message = "Deleted bridge {Bridge}")]
    public static partial void BridgeDeleted(ILogger logger, string bridge);

    [LoggerMessage(EventId = 2206, Level = LogLevel.Information, Message = "Created tap {Tap} for uid {OwnerUid} on bridge {Bridge}")]
    public static partial void TapCreated(ILogger logger, string tap, uint ownerUid, string bridge);

    [LoggerMessage(EventId = 2207, Level = LogLevel.Information, Message = "Deleted tap {Tap}")]
    public static partial void TapDeleted(ILogger logger, string tap);

    [LoggerMessage(EventId = 2208, Level = LogLevel.Information, Message = "VLAN support on this host: bridge VLAN filtering {BridgeFiltering}, 802.1Q devices {Dot1q} ({Reasons})")]
    public static partial void VlanProbed(ILogger logger, bool bridgeFiltering, bool dot1q, string reasons);

    [LoggerMessage(EventId = 2209, Level = LogLevel.Warning, Message = "Could not clean up after {Purpose}: {Error}")]
    public static partial void CleanupFailed(ILogger logger, string purpose, string error);
}
