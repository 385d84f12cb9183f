namespace WebVirt.Web.Thumbnails;

/// <summary>Where a running VM's screen comes from: a PNG, or null when there is none now (stopped, host offline).</summary>
internal interface IScreendumpSource
{
    Task<byte[]?> CaptureAsync(Guid vmId, CancellationToken cancellationToken);
}
