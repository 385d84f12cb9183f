using System.Text.Json;
using System.Text.RegularExpressions;

namespace WebVirt.Web.Api;

/// <summary>
/// Turns a request the endpoints could not even bind (a body that is not JSON, a value of the wrong type, a query
/// value that is not a number) into the same problem+json as every other refusal: the field named, in words for a
/// user. The framework's own answer is a bare 400, and its messages name .NET types and parameters.
/// </summary>
internal sealed partial class BadRequestProblems(RequestDelegate next, IProblemDetailsService problems)
{
    [GeneratedRegex("parameter \"[^\" ]+ (?<name>[A-Za-z0-9_]+)\"")]
    private static partial Regex ParameterName();

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            context.Response.StatusCode = ex.StatusCode;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = ex.StatusCode,
                    Title = ex.StatusCode == StatusCodes.Status400BadRequest ? "Invalid request" : "The request was not accepted",
                    Detail = Describe(ex),
                },
            });
        }
    }

    /// <summary>What is wrong, by field; never the exception's own text.</summary>
    internal static string Describe(BadHttpRequestException ex)
    {
        if (ex.InnerException is JsonException json)
        {
            var field = json.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
            return json switch
            {
                JsonFieldException own => $"{field ?? "body"}: {own.Message}",
                _ when json.Message.StartsWith("Duplicate property", StringComparison.Ordinal) => $"{field ?? "body"}: given more than once",

                // The serializer's own JsonException is a value that does not fit its field; the reader's (a subclass,
                // which the serializer wraps to add the path) is text that is not JSON at all.
                _ when json.GetType() == typeof(JsonException) && json.InnerException is not JsonException && field is not null =>
                    $"{field}: not a valid value for this field (wrong type, or a number out of range)",
                _ => $"body: not valid JSON (line {(json.LineNumber ?? 0) + 1}, byte {(json.BytePositionInLine ?? 0) + 1}); send one JSON object with this call's fields",
            };
        }

        var name = ParameterName().Match(ex.Message) is { Success: true } match ? match.Groups["name"].Value : null;
        return ex.StatusCode switch
        {
            StatusCodes.Status415UnsupportedMediaType => "body: send it as JSON (Content-Type: application/json)",
            StatusCodes.Status413PayloadTooLarge => "body: too large for this call",
            _ when ex.Message.Contains("no body was provided", StringComparison.Ordinal) => "body: this call needs a JSON body",
            _ when ex.Message.StartsWith("Required parameter", StringComparison.Ordinal) && name is not null => $"{name}: is required",
            _ when name is not null => $"{name}: not a valid value (wrong type, or a number out of range)",
            _ => "The request could not be read.",
        };
    }
}
