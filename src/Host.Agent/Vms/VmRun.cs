using WebVirt.Hypervisor.Processes;

namespace WebVirt.Host.Agent.Vms;

/// <summary>One life of a VM's QEMU process, from start (or attach) until it exits or the agent lets go.</summary>
internal sealed class VmRun(VmProcess process, DateTimeOffset startedAt)
{
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public VmProcess Process => process;

    public DateTimeOffset StartedAt => startedAt;

    /// <summary>Completes once the watcher has reported every state change, including the exit.</summary>
    public Task Finished => _finished.Task;

    public void MarkFinished() => _finished.TrySetResult();
}
