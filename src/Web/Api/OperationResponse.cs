namespace WebVirt.Web.Api;

public sealed record OperationResponse(string Message, Guid? TaskId, Guid? VmId);
