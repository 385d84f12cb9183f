namespace WebVirt.Web.Tests.Security;

/// <summary>How a route is reached: which credential stands for a signed-in user, or a check of its own.</summary>
public enum RouteKind
{
    /// <summary>An API route, sent with an API token.</summary>
    Api,

    /// <summary>A Blazor page or a cookie-authenticated form post, sent with a sign-in cookie.</summary>
    Page,

    /// <summary>A WebSocket, hub or framework route with a check of its own in <see cref="SpecialRouteChecks"/>.</summary>
    Special,
}
