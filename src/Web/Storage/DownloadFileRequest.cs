namespace WebVirt.Web.Storage;

/// <summary>Asks a host to fetch a file by URL into a pool; <see cref="FileName"/> defaults to the URL's last segment.</summary>
public sealed record DownloadFileRequest(string? Url, string? FileName, string? Sha256);
