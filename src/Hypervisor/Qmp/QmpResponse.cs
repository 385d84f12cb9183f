using System.Text.Json;

namespace WebVirt.Hypervisor.Qmp;

/// <summary>
/// What a pending command ends with. A value rather than a faulted task, so replies that arrive
/// after the caller gave up never surface as unobserved task exceptions.
/// </summary>
internal readonly record struct QmpResponse(JsonElement Return, string? ErrorClass, string? ErrorDescription, QmpDisconnect? Disconnect)
{
    public static QmpResponse Success(JsonElement value) => new(value, null, null, null);

    public static QmpResponse Failure(string errorClass, string description) => new(default, errorClass, description, null);

    public static QmpResponse Disconnected(QmpDisconnect disconnect) => new(default, null, null, disconnect);

    public JsonElement GetReturnOrThrow(string command) =>
        Disconnect is { } disconnect ? throw new QmpDisconnectedException(command, disconnect)
        : ErrorClass is { } errorClass ? throw new QmpException(command, errorClass, ErrorDescription ?? "")
        : Return;
}
