namespace WebVirt.Web.Tunnels;

/// <summary>A tunnel could not be opened; the message says why in words a user can act on.</summary>
internal sealed class TunnelException(string message) : Exception(message)
{
    /// <summary>True when trying again may work (the agent was slow, offline or could not dial); false when it refused the request.</summary>
    public bool IsTransient { get; init; }
}
