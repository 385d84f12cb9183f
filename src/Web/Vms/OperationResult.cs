namespace WebVirt.Web.Vms;

/// <summary>The outcome of a panel operation, in terms both the API (status codes) and the UI can use.</summary>
internal sealed record OperationResult(OperationStatus Status, string Message, Guid? TaskId = null, Guid? VmId = null)
{
    public bool Succeeded => Status is OperationStatus.Done or OperationStatus.Accepted;

    public static OperationResult Done(string message, Guid? taskId = null, Guid? vmId = null) => new(OperationStatus.Done, message, taskId, vmId);
}
