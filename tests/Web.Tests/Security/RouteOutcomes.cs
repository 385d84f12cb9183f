using System.Net;

namespace WebVirt.Web.Tests.Security;

/// <summary>Reads a response as an <see cref="Outcome"/> and says whether it is what an entry expects.</summary>
internal static class RouteOutcomes
{
    public static Outcome Of(HttpResponseMessage response)
    {
        var location = response.Headers.Location?.OriginalString ?? "";
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => Outcome.Unauthorized,
            HttpStatusCode.Forbidden => Outcome.Forbidden,
            HttpStatusCode.NotFound => Outcome.Hidden,
            >= HttpStatusCode.Redirect and < HttpStatusCode.BadRequest when location.Contains("/account/login", StringComparison.OrdinalIgnoreCase) => Outcome.SignIn,
            >= HttpStatusCode.Redirect and < HttpStatusCode.BadRequest when location.Contains("/account/access-denied", StringComparison.OrdinalIgnoreCase) => Outcome.AccessDenied,
            >= HttpStatusCode.OK and < HttpStatusCode.MultipleChoices => Outcome.Success,
            _ => Outcome.Permitted,
        };
    }

    /// <summary>A 2xx is also past authorization; everything else must be exactly the expected class.</summary>
    public static bool Matches(Outcome expected, Outcome actual) =>
        expected == actual || (expected is Outcome.Permitted && actual is Outcome.Success);

    /// <summary>Refused outcomes: the request must have changed nothing.</summary>
    public static bool IsRefusal(Outcome outcome) =>
        outcome is Outcome.Unauthorized or Outcome.SignIn or Outcome.AccessDenied or Outcome.Forbidden or Outcome.Hidden;
}
