using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Auth;

internal static class AuthEndpoints
{
    public const int MaxTokenDays = 365;

    public static RouteGroupBuilder MapAuthEndpoints(this RouteGroupBuilder api)
    {
        // Exchanges a user name and password for an API token (as Proxmox's /access/ticket does), with
        // Identity's lockout counting every failure.
        api.MapPost("/auth/tokens", async (TokenRequest request, UserManager<WebVirtUser> users, SignInManager<WebVirtUser> signIn, IDbContextFactory<WebVirtDbContext> contexts) =>
        {
            var days = request.ExpiresInDays ?? 30;
            if (days is < 1 or > MaxTokenDays)
            {
                return Results.Problem(detail: $"expiresInDays: must be between 1 and {MaxTokenDays}", statusCode: 400, title: "Invalid request");
            }

            var user = request.UserName is null ? null : await users.FindByNameAsync(request.UserName);
            if (user is null || request.Password is null)
            {
                return Results.Problem(detail: "Wrong user name or password.", statusCode: 401, title: "Sign-in failed");
            }

            var check = await signIn.CheckPasswordSignInAsync(user, request.Password, lockoutOnFailure: true);
            if (check.IsLockedOut)
            {
                return Results.Problem(detail: "Too many failed attempts: the account is locked for a while.", statusCode: 423, title: "Locked out");
            }

            if (!check.Succeeded)
            {
                return Results.Problem(detail: "Wrong user name or password.", statusCode: 401, title: "Sign-in failed");
            }

            // The password alone must not open an account that signs in with two factors.
            if (await users.GetTwoFactorEnabledAsync(user))
            {
                var code = WebVirt.Web.Account.TwoFactorCodes.Normalize(request.TwoFactorCode, recovery: false);
                if (code.Length == 0)
                {
                    return Results.Problem(detail: "This account uses two-factor sign-in: send the authenticator app's code as twoFactorCode.", statusCode: 401, title: "Two-factor code required");
                }

                if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
                {
                    await users.AccessFailedAsync(user);
                    return Results.Problem(detail: "Wrong two-factor code.", statusCode: 401, title: "Sign-in failed");
                }
            }

            var token = ApiTokens.Generate();
            var expires = DateTimeOffset.UtcNow.AddDays(days);
            await using var db = await contexts.CreateDbContextAsync();
            db.ApiTokens.Add(new ApiToken
            {
                Id = Guid.NewGuid(),
                UserId = user.Id,
                Name = string.IsNullOrWhiteSpace(request.Name) ? "api" : request.Name.Trim()[..Math.Min(request.Name.Trim().Length, 64)],
                TokenHash = ApiTokens.Hash(token),
                CreatedAt = DateTimeOffset.UtcNow,
                ExpiresAt = expires,
            });
            await db.SaveChangesAsync();
            return Results.Ok(new TokenResponse(token, expires));
        }).AllowAnonymous();

        return api;
    }
}
