using WebVirt.Shared.Agents;

namespace WebVirt.Shared.Storage;

public sealed record DownloadStatusReply(AgentReply Result, DownloadStatus? Status);
