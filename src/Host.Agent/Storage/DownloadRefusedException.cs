namespace WebVirt.Host.Agent.Storage;

/// <summary>A download's target (or a redirect's) resolved only to addresses it may not reach; no connection was attempted.</summary>
internal sealed class DownloadRefusedException(string message) : IOException(message);
