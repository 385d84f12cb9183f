namespace WebVirt.Web.Security;

/// <summary>Whether a request's <c>Origin</c> (or, without one, its <c>Referer</c>) is the panel's own origin or a trusted one.</summary>
internal static class SameOrigin
{
    public static bool IsTrusted(HttpRequest request, IReadOnlyList<string> trustedOrigins)
    {
        var origin = request.Headers.Origin.ToString();
        var claimed = origin.Length > 0 ? origin : request.Headers.Referer.ToString();

        // "null" (a sandboxed frame, a redirect across sites) and garbage are never the panel.
        if (!Uri.TryCreate(claimed, UriKind.Absolute, out var source) || !request.Host.HasValue
            || !Uri.TryCreate($"{request.Scheme}://{request.Host.Value}", UriKind.Absolute, out var own))
        {
            return false;
        }

        return Same(source, own) || trustedOrigins.Any(t => Uri.TryCreate(t, UriKind.Absolute, out var trusted) && Same(source, trusted));
    }

    private static bool Same(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;
}
