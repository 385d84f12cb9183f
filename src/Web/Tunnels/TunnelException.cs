namespace WebVirt.Web.Tunnels;

/// <summary>A tunnel could not be opened; the message says why in words a user can act on.</summary>
internal sealed class TunnelException(string message) : Exception(message);
