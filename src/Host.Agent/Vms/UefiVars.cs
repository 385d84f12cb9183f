using Microsoft.Extensions.Options;
using WebVirt.Hypervisor.Configuration;
using WebVirt.Hypervisor.Images;
using WebVirt.Hypervisor.Processes;
using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Vms;

/// <summary>The UEFI variables store each UEFI VM has of its own.</summary>
internal sealed class UefiVars(VmSupervisor supervisor, QemuImg qemuImg, IOptions<HypervisorOptions> hypervisor)
{
    /// <summary>
    /// Gives a UEFI VM its own variables store before its first start: a qcow2 copy of the firmware's template,
    /// so that snapshots include the variables (a raw pflash cannot be snapshotted).
    /// </summary>
    public async Task EnsureUefiVarsAsync(VmDefinition definition, CancellationToken cancellationToken)
    {
        var vars = supervisor.PathsFor(definition.Uuid).OvmfVars;
        if (definition.Firmware != Firmware.Ovmf || File.Exists(vars))
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(vars)!);
        await qemuImg.ConvertAsync(hypervisor.Value.OvmfVarsTemplatePath, DiskFormat.Raw, vars, DiskFormat.Qcow2, compress: false, progress: null, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>A clone starts with its source's UEFI variables (boot entries included).</summary>
    public void CopyUefiVars(Guid source, Guid target)
    {
        var from = supervisor.PathsFor(source).OvmfVars;
        if (File.Exists(from))
        {
            File.Copy(from, supervisor.PathsFor(target).OvmfVars, overwrite: false);
        }
    }
}
