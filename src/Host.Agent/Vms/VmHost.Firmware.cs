using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Vms;

internal sealed partial class VmHost
{
    /// <summary>
    /// Gives a UEFI VM its own variables store before its first start: a qcow2 copy of the firmware's template,
    /// so that snapshots include the variables (a raw pflash cannot be snapshotted).
    /// </summary>
    private async Task EnsureUefiVarsAsync(VmDefinition definition, CancellationToken cancellationToken)
    {
        var vars = PathsFor(definition.Uuid).OvmfVars;
        if (definition.Firmware != Firmware.Ovmf || File.Exists(vars))
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(vars)!);
        await _qemuImg.ConvertAsync(_hypervisor.OvmfVarsTemplatePath, DiskFormat.Raw, vars, DiskFormat.Qcow2, compress: false, progress: null, cancellationToken)
            .ConfigureAwait(false);
    }
}
