using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Agents;

/// <summary>
/// Authenticates agents by their host token, from the Authorization header (never the query string).
/// Only the token's hash is stored; a revoked host fails here.
/// </summary>
internal sealed class HostTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IDbContextFactory<WebVirtDbContext> contexts)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = ReadToken();
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }

        var hash = HostTokens.Hash(token);
        await using var db = await contexts.CreateDbContextAsync(Context.RequestAborted);
        var host = await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.TokenHash == hash, Context.RequestAborted);
        if (host is null)
        {
            return AuthenticateResult.Fail("Unknown host token.");
        }

        if (host.RevokedAt is not null)
        {
            return AuthenticateResult.Fail($"The token of host '{host.Name}' was revoked.");
        }

        var identity = new ClaimsIdentity(
            [new Claim(HostTokenAuthentication.HostIdClaim, host.Id.ToString()), new Claim(ClaimTypes.Name, host.Name)],
            HostTokenAuthentication.Scheme);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), HostTokenAuthentication.Scheme));
    }

    /// <summary>
    /// The Authorization header only. A token in the query string (SignalR's way for browsers, which cannot set
    /// headers on WebSockets) ends up in proxy and access logs; agents send the header, so nothing needs the query.
    /// </summary>
    private string? ReadToken()
    {
        var header = Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }
}
