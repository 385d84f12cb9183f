using System.Net.Http.Headers;
using System.Text.Json;

namespace WebVirt.E2E.Tests.Security;

/// <summary>What a refusal must look like: problem+json whose detail (or errors) names the field, in words for a user.</summary>
public static class ProblemBody
{
    /// <summary>Text that only exception messages and stack traces contain, never a message written for a user.</summary>
    private static readonly string[] ExceptionText =
    [
        "Exception", "Parameter '", "at WebVirt.", "at System.", "at Microsoft.", "Actual value was", "Path: $", "LineNumber:",
        "BytePositionInLine", "could not be converted to", "Failed to bind parameter", "Failed to read parameter",
        "WebVirt.Shared.", "WebVirt.Web.", "System.Text.Json", "System.Int", "System.Nullable",
    ];

    /// <summary>Null when the body is a proper refusal naming <paramref name="field"/>, else what is wrong with it.</summary>
    public static string? Problem(MediaTypeHeaderValue? contentType, string body, string field)
    {
        if (contentType?.MediaType != "application/problem+json")
        {
            return $"the content type is {contentType?.MediaType ?? "missing"}, not application/problem+json";
        }

        JsonElement root;
        try
        {
            root = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            return "the body is not JSON";
        }

        var text = root.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String ? detail.GetString()! : "";
        if (root.TryGetProperty("errors", out var errors))
        {
            text += " " + errors.GetRawText();
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return "there is no detail";
        }

        if (ExceptionText.FirstOrDefault(e => text.Contains(e, StringComparison.Ordinal)) is { } leaked)
        {
            return $"the detail holds exception text ('{leaked}')";
        }

        return text.Contains(field, StringComparison.OrdinalIgnoreCase) ? null : $"the detail does not name '{field}'";
    }
}
