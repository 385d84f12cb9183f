using Microsoft.AspNetCore.SignalR.Client;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Backups;
using WebVirt.Shared.Clones;

namespace WebVirt.Web.Tests.Agents;

/// <summary>Clones, backups to restore and the CD-ROM drive, answered with success and recorded in <see cref="Calls"/>.</summary>
internal sealed partial class FakeAgent
{
    /// <summary>Answers CloneVm, ListBackups (with <paramref name="backups"/>), RestoreBackup and ChangeCdrom.</summary>
    public void HandleCopiesAndCdrom(IReadOnlyList<BackupInfo> backups)
    {
        _connection.On<CloneRequest, AgentReply>(nameof(IAgentClient.CloneVm), request =>
        {
            Calls.Add($"clone {request.Target.Name}");
            return AgentReply.Success();
        });
        _connection.On<Guid, BackupListReply>(nameof(IAgentClient.ListBackups), uuid =>
            new BackupListReply(AgentReply.Success(), [.. backups.Where(b => b.VmUuid == uuid)]));
        _connection.On<RestoreRequest, AgentReply>(nameof(IAgentClient.RestoreBackup), request =>
        {
            Calls.Add($"restore {request.BackupId} as {request.Target?.Name ?? "original"}");
            return AgentReply.Success();
        });
        _connection.On<Guid, string?, AgentReply>(nameof(IAgentClient.ChangeCdrom), (uuid, isoPath) =>
        {
            Calls.Add($"cdrom {isoPath ?? "eject"}");
            return AgentReply.Success();
        });
    }
}
