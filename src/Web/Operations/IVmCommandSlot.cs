namespace WebVirt.Web.Operations;

/// <summary>Something a <see cref="VmCommand"/> holds while it runs, such as the VM's one disk slot.</summary>
internal interface IVmCommandSlot : IDisposable
{
    /// <summary>The command's task has been recorded: pages showing the slot can show its progress.</summary>
    void TaskStarted(Guid taskId);
}
