using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace WebVirt.Web.Tests.Security;

/// <summary>The routes the running panel maps, as "METHOD pattern" keys ("*" where any method matches).</summary>
internal static class PanelRoutes
{
    public static IReadOnlySet<string> Keys(IServiceProvider services)
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods;
            foreach (var method in methods is { Count: > 0 } ? methods : ["*"])
            {
                keys.Add($"{method} {pattern}");
            }
        }

        return keys;
    }
}
