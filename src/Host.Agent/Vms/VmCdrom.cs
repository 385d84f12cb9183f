using Microsoft.Extensions.Logging;
using WebVirt.Host.Agent.Storage;
using WebVirt.Hypervisor.Processes;
using WebVirt.Shared.Agents;

namespace WebVirt.Host.Agent.Vms;

/// <summary>A VM's CD-ROM drive: an ISO from a pool goes in, or the drive is emptied.</summary>
internal sealed class VmCdrom(VmRegistry registry, VmDefinitionStore store, PoolIsos isos, VmSupervisor supervisor, ILogger<VmCdrom> logger)
{
    private const string ChangeCdromOperation = "change the CD-ROM of";

    /// <summary>The qdev id QemuCommandLine gives the CD-ROM drive.</summary>
    private const string CdromDeviceId = "cdrom0";

    /// <summary>Puts an ISO from a pool into the VM's CD-ROM drive, or empties it; live when the VM runs, and in its stored definition.</summary>
    public Task<AgentReply> ChangeCdrom(Guid uuid, string? isoPath) =>
        registry.RunAsync(uuid, ChangeCdromOperation, async (entry, cancellationToken) =>
        {
            if (entry.Definition is not { } definition)
            {
                return AgentReply.Failure(AgentErrorKind.NotFound, $"VM {uuid} runs on this host without a definition.");
            }

            if (definition.Cdrom is not { } cdrom)
            {
                return AgentReply.Failure(AgentErrorKind.Conflict, $"VM '{entry.Name}' has no CD-ROM drive.");
            }

            if (isoPath is not null && isos.Check(isoPath) is { } invalid)
            {
                return AgentReply.Failure(AgentErrorKind.Invalid, $"isoPath: {invalid}");
            }

            if (entry.Run is { } run)
            {
                if (isoPath is null)
                {
                    await run.Process.Qmp.EjectAsync(CdromDeviceId, force: true, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    // The running QEMU opens the ISO itself, as its VM's user.
                    supervisor.ShareWithQemu(isoPath);
                    await run.Process.Qmp.BlockdevChangeMediumAsync(CdromDeviceId, isoPath, "raw", "read-only", cancellationToken).ConfigureAwait(false);
                }

                // QEMU's own view decides: a guest holding the tray shut can leave the old medium in place.
                var drive = (await run.Process.Qmp.QueryBlockAsync(cancellationToken).ConfigureAwait(false))
                    .FirstOrDefault(d => d.Qdev is { } qdev && (qdev == CdromDeviceId || qdev.EndsWith("/" + CdromDeviceId, StringComparison.Ordinal)));
                if (drive is null || drive.File != isoPath)
                {
                    return AgentReply.Failure(AgentErrorKind.Failed,
                        $"VM '{entry.Name}': QEMU reports its CD-ROM holding {drive?.File ?? "nothing"} after the change; the guest may hold the tray locked.");
                }
            }

            var changed = definition with { Cdrom = cdrom with { IsoPath = isoPath } };
            store.Save(changed);
            entry.Commit(changed);
            StorageLog.CdromChanged(logger, uuid, isoPath ?? "nothing");
            return AgentReply.Success(entry.Report(isoPath is null ? "cdrom-ejected" : "cdrom-inserted"));
        });
}
