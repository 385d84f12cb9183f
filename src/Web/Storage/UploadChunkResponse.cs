namespace WebVirt.Web.Storage;

/// <summary>Where an upload stands after a request: the next chunk starts at <see cref="ReceivedBytes"/>.</summary>
public sealed record UploadChunkResponse(long ReceivedBytes, bool Complete, string? Sha256, string? Path, Guid? TaskId);
