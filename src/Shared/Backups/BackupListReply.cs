using WebVirt.Shared.Agents;

namespace WebVirt.Shared.Backups;

/// <summary>A VM's backups, newest first.</summary>
public sealed record BackupListReply(AgentReply Result, IReadOnlyList<BackupInfo> Backups);
