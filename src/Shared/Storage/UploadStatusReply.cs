using WebVirt.Shared.Agents;

namespace WebVirt.Shared.Storage;

/// <summary>How many bytes of an upload the host already holds, so that a client resumes from there.</summary>
public sealed record UploadStatusReply(AgentReply Result, long ReceivedBytes);
