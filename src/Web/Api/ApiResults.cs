using WebVirt.Web.Vms;

namespace WebVirt.Web.Api;

/// <summary>Maps operation outcomes to HTTP: problem+json with the message for every failure.</summary>
internal static class ApiResults
{
    public static IResult From(OperationResult result, Func<OperationResult, object>? body = null) => result.Status switch
    {
        OperationStatus.Done => Results.Ok(body?.Invoke(result) ?? new OperationResponse(result.Message, result.TaskId, result.VmId)),
        OperationStatus.Accepted => Results.Accepted(value: new OperationResponse(result.Message, result.TaskId, result.VmId)),
        OperationStatus.Invalid => Problem(StatusCodes.Status400BadRequest, "Invalid request", result),
        OperationStatus.NotFound => Problem(StatusCodes.Status404NotFound, "Not found", result),
        OperationStatus.Forbidden => Problem(StatusCodes.Status403Forbidden, "Forbidden", result),
        OperationStatus.Conflict => Problem(StatusCodes.Status409Conflict, "Conflict", result),
        OperationStatus.TooLarge => Problem(StatusCodes.Status413PayloadTooLarge, "Too large", result),
        _ => Problem(StatusCodes.Status502BadGateway, "The host could not do it", result),
    };

    private static IResult Problem(int status, string title, OperationResult result) =>
        Results.Problem(
            detail: result.Message,
            statusCode: status,
            title: title,
            extensions: result.TaskId is { } taskId ? new Dictionary<string, object?> { ["taskId"] = taskId } : null);
}
