namespace WebVirt.Host.Agent.Storage;

/// <summary>
/// A download's server could not be connected to. One message for every cause (refused, timed out, unreachable), so
/// that downloads cannot be used to tell open ports from closed ones.
/// </summary>
internal sealed class DownloadUnreachableException(string host, int port) : IOException($"Could not connect to {host}:{port}.");
