using WebVirt.Rules.Definitions;
using WebVirt.Shared.Vms;

namespace WebVirt.Hypervisor.PortForwards;

/// <summary>
/// Checks a definition's port forwards against this host's <see cref="PortForwardOptions"/>: when the agent
/// accepts a definition and again before QEMU starts (a definition stored before the policy changed).
/// </summary>
public static class PortForwardPolicy
{
    public static IReadOnlyList<DefinitionError> Check(VmDefinition definition, PortForwardOptions options)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<DefinitionError>();
        var allowed = options.EffectiveAllowedAddresses;
        for (var i = 0; i < definition.Nics.Count; i++)
        {
            var forwards = definition.Nics[i].PortForwards;
            for (var j = 0; j < forwards.Count; j++)
            {
                var field = $"nics[{i}].portForwards[{j}]";
                var forward = forwards[j];
                if (!allowed.Contains(forward.HostAddress, StringComparer.Ordinal))
                {
                    errors.Add(new DefinitionError($"{field}.hostAddress",
                        $"{forward.HostAddress} is not an address this host allows port forwards on (allowed: {string.Join(", ", allowed)}; "
                        + "the administrator sets Hypervisor:PortForwards:AllowedAddresses)"));
                }

                if (forward.HostPort < options.MinPort || forward.HostPort > options.MaxPort)
                {
                    errors.Add(new DefinitionError($"{field}.hostPort",
                        $"must be between {options.MinPort} and {options.MaxPort} on this host (Hypervisor:PortForwards:MinPort and MaxPort)"));
                }
                else if (options.PanelPorts.Contains(forward.HostPort))
                {
                    errors.Add(new DefinitionError($"{field}.hostPort", $"port {forward.HostPort} is the panel's own port on this host"));
                }
                else if (options.ReservedPorts?.Contains(forward.HostPort) == true)
                {
                    errors.Add(new DefinitionError($"{field}.hostPort",
                        $"port {forward.HostPort} is reserved on this host (Hypervisor:PortForwards:ReservedPorts)"));
                }
            }
        }

        return errors;
    }
}
