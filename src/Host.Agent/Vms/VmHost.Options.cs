using WebVirt.Hypervisor.CommandLine;
using WebVirt.Rules.Definitions;
using WebVirt.Shared.Agents;

namespace WebVirt.Host.Agent.Vms;

internal sealed partial class VmHost
{
    /// <summary>
    /// Rewrites the stored definition's autostart and start order. Unlike <see cref="DefineVm"/> this works on a
    /// running VM: QEMU never sees these, only <see cref="AutostartAsync"/> does at the next host start.
    /// </summary>
    public Task<AgentReply> SetStartOptions(Guid uuid, bool autostart, int startOrder)
    {
        if (startOrder is < 0 or > DefinitionValidator.MaxStartOrder)
        {
            return Task.FromResult(AgentReply.Failure(AgentErrorKind.Invalid, $"startOrder: must be between 0 and {DefinitionValidator.MaxStartOrder}"));
        }

        return RunAsync(uuid, VmOperations.StartOptions, (entry, _) =>
        {
            if (entry.Definition is not { } definition)
            {
                return Task.FromResult(NotFound(uuid));
            }

            var changed = definition with { Autostart = autostart, StartOrder = startOrder };
            _store.Save(changed);
            entry.Commit(changed);
            return Task.FromResult(AgentReply.Success(entry.Report()));
        });
    }
}
