namespace WebVirt.Web.Storage;

/// <summary>One file's upload as the panel follows it across its chunk requests: the task that shows it.</summary>
internal sealed record UploadSession(Guid TaskId, long TotalBytes);
