using WebVirt.Rules.Definitions;
using WebVirt.Shared.Vms;

namespace WebVirt.Hypervisor.PortForwards;

/// <summary>
/// A tap NIC names a host interface, and QEMU joins whatever network that interface is on: so only interfaces the
/// administrator listed for VMs (<c>Hypervisor:AllowedTapDevices</c>; none by default) may be named, never any
/// interface a user with VM.Config can type.
/// </summary>
public static class TapDevicePolicy
{
    public static IReadOnlyList<DefinitionError> Check(VmDefinition definition, IReadOnlyCollection<string>? allowed)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = new List<DefinitionError>();
        for (var i = 0; i < definition.Nics.Count; i++)
        {
            var nic = definition.Nics[i];
            if (nic.Mode == NicMode.Tap && nic.TapDevice is { } tap && allowed?.Contains(tap, StringComparer.Ordinal) != true)
            {
                errors.Add(new DefinitionError($"nics[{i}].tapDevice",
                    allowed is { Count: > 0 }
                        ? $"'{tap}' is not a tap device this host offers to VMs (allowed: {string.Join(", ", allowed)}; Hypervisor:AllowedTapDevices)"
                        : $"this host offers no tap devices to VMs (the administrator lists them in Hypervisor:AllowedTapDevices); use user-mode networking"));
            }
        }

        return errors;
    }
}
