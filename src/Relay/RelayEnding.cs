namespace WebVirt.Relay;

/// <summary>How one direction of a relay ended.</summary>
public enum RelayEnding
{
    /// <summary>The source finished sending and the end was passed on.</summary>
    Completed,

    /// <summary>Reading the source failed (it dropped the connection).</summary>
    SourceFailed,

    /// <summary>Writing to the destination failed (it dropped the connection).</summary>
    DestinationFailed,

    /// <summary>The relay was cancelled (disconnected by an administrator, the host stopping, the other direction failing).</summary>
    Cancelled,
}
