using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Account;
using WebVirt.Web.Inventory;
using WebVirt.Web.Security;

namespace WebVirt.Web.Auth;

internal static class AuthEndpoints
{
    public const int MaxTokenDays = 365;

    public static RouteGroupBuilder MapAuthEndpoints(this RouteGroupBuilder api)
    {
        // Exchanges a user name and password for an API token (as Proxmox's /access/ticket does). Unknown names and
        // wrong passwords answer alike (status, body, a password hash checked, the same per-address lockout), and the
        // endpoint is rate limited per client address like the sign-in form.
        api.MapPost("/auth/tokens", async (TokenRequest request, HttpContext context, UserManager<WebVirtUser> users, SignInLockouts lockouts, IDbContextFactory<WebVirtDbContext> contexts) =>
        {
            var days = request.ExpiresInDays ?? 30;
            if (days is < 1 or > MaxTokenDays)
            {
                return Results.Problem(detail: $"expiresInDays: must be between 1 and {MaxTokenDays}", statusCode: 400, title: "Invalid request");
            }

            if (string.IsNullOrWhiteSpace(request.UserName) || string.IsNullOrEmpty(request.Password))
            {
                return WrongCredentials();
            }

            var userName = request.UserName.Trim();
            var address = ClientAddress.Of(context);
            if (lockouts.LockedUntil(userName, address) is not null)
            {
                return Locked();
            }

            var user = await users.FindByNameAsync(userName);
            if (user is null)
            {
                DecoyPassword.Verify(users.PasswordHasher, request.Password);
                return Failed();
            }

            // The password first, then the account's state: only someone who knows the password learns that it is disabled.
            if (!await users.CheckPasswordAsync(user, request.Password))
            {
                return Failed();
            }

            if (await users.IsLockedOutAsync(user))
            {
                return Results.Problem(detail: "This account is disabled or locked: ask an administrator.", statusCode: 423, title: "Locked out");
            }

            // The password alone must not open an account that signs in with two factors.
            if (await users.GetTwoFactorEnabledAsync(user))
            {
                var code = TwoFactorCodes.Normalize(request.TwoFactorCode, recovery: false);
                if (code.Length == 0)
                {
                    return Results.Problem(detail: "This account uses two-factor sign-in: send the authenticator app's code as twoFactorCode.", statusCode: 401, title: "Two-factor code required");
                }

                if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
                {
                    return lockouts.RecordFailure(userName, address) is not null
                        ? Locked()
                        : Results.Problem(detail: "Wrong two-factor code.", statusCode: 401, title: "Sign-in failed");
                }
            }

            lockouts.Reset(userName, address);
            if (user.MustChangePassword)
            {
                return Results.Problem(
                    detail: "This account must choose a new password before it gets a token: sign in to the panel in a browser and change it.",
                    statusCode: StatusCodes.Status403Forbidden,
                    title: "Password change required");
            }

            await using var db = await contexts.CreateDbContextAsync();
            var name = await TokenNameAsync(db, user.Id, request.Name);
            if (name is null)
            {
                return Results.Problem(
                    detail: $"name: you already have a token named '{request.Name!.Trim()}'; choose another name, or leave it out for a new one.",
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Conflict");
            }

            var token = ApiTokens.Generate();
            var expires = DateTimeOffset.UtcNow.AddDays(days);
            db.ApiTokens.Add(new ApiToken
            {
                Id = Guid.NewGuid(),
                UserId = user.Id,
                Name = name,
                TokenHash = ApiTokens.Hash(token),
                CreatedAt = DateTimeOffset.UtcNow,
                ExpiresAt = expires,
            });
            await db.SaveChangesAsync();
            return Results.Ok(new TokenResponse(token, expires));

            IResult Failed() => lockouts.RecordFailure(userName, address) is not null ? Locked() : WrongCredentials();
        }).AllowAnonymous().RequireRateLimiting(SignInRateLimit.Policy);

        return api;
    }

    /// <summary>
    /// The given name (trimmed, at most 64 characters), or null when the user already has a token of that name; without
    /// a name, a new unique one ("api-20261202-180512-3fa9"), so that a script may ask twice.
    /// </summary>
    private static async Task<string?> TokenNameAsync(WebVirtDbContext db, string userId, string? requested)
    {
        if (!string.IsNullOrWhiteSpace(requested))
        {
            var name = requested.Trim()[..Math.Min(requested.Trim().Length, 64)];
            return await db.ApiTokens.AnyAsync(t => t.UserId == userId && t.Name == name) ? null : name;
        }

        return $"api-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(2))}";
    }

    private static IResult WrongCredentials() =>
        Results.Problem(detail: "Wrong user name or password.", statusCode: 401, title: "Sign-in failed");

    private static IResult Locked() =>
        Results.Problem(detail: "Too many failed attempts: this account is locked for your address for a while.", statusCode: 423, title: "Locked out");
}
