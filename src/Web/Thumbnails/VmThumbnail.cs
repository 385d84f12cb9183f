namespace WebVirt.Web.Thumbnails;

/// <summary>The latest picture of a VM's screen (PNG) and when it was taken.</summary>
internal sealed record VmThumbnail(Guid VmId, byte[] Png, DateTimeOffset TakenAt)
{
    public string DataUrl => "data:image/png;base64," + Convert.ToBase64String(Png);
}
