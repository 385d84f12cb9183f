namespace WebVirt.Web.Consoles;

/// <summary>A view-only console's client sent something <see cref="RfbViewOnlyFilter"/> cannot frame; the connection is dropped.</summary>
/// <remarks>An <see cref="IOException"/>, so the byte relay treats it as a failed source and closes both ends.</remarks>
internal sealed class RfbViewOnlyException(string message) : IOException(message);
