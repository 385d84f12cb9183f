namespace WebVirt.Web.Consoles;

/// <summary>A share link could not be created or revoked; the message says why and nothing was changed.</summary>
internal sealed class ShareLinkException(string message) : Exception(message);
