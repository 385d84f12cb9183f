using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Auth;
using WebVirt.Web.Inventory;
using WebVirt.Web.Operations;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Permissions.Administration;

internal sealed partial class AccessAdministration
{
    /// <summary>Creates an API token for the acting user (a token acts with its owner's privileges); the secret is in the result this once.</summary>
    public async Task<(OperationResult Result, string? Token)> CreateTokenAsync(ClaimsPrincipal actor, string? name, int days)
    {
        var userId = actor.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null)
        {
            return (new OperationResult(OperationStatus.Forbidden, "Sign in first."), null);
        }

        if (!AccessNames.IsValid(name))
        {
            return (Invalid($"name: {AccessNames.Rule}"), null);
        }

        if (days is < 1 or > AuthEndpoints.MaxTokenDays)
        {
            return (Invalid($"expiresInDays: must be between 1 and {AuthEndpoints.MaxTokenDays}"), null);
        }

        await using var db = await contexts.CreateDbContextAsync();
        if (await db.ApiTokens.AnyAsync(t => t.UserId == userId && t.Name == name))
        {
            return (Invalid($"name: you already have a token named '{name}'"), null);
        }

        var secret = ApiTokens.Generate();
        var token = new ApiToken
        {
            Id = Guid.NewGuid(),
            UserId = userId,
            Name = name!,
            TokenHash = ApiTokens.Hash(secret),
            CreatedAt = DateTimeOffset.UtcNow,
            ExpiresAt = DateTimeOffset.UtcNow.AddDays(days),
        };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync();
        await audit.WriteAsync(Actor.NameOf(actor), "access.token.create", "token", token.Id.ToString(), name, success: true);
        return (OperationResult.Done($"Token '{name}' created: copy it now, it is not shown again."), secret);
    }

    /// <summary>Revokes a token: one's own, or anyone's with Permissions.Modify on /.</summary>
    public async Task<OperationResult> RevokeTokenAsync(ClaimsPrincipal actor, Guid tokenId)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == tokenId);
        if (token is null)
        {
            return NotFound($"No API token with id {tokenId}.");
        }

        if (token.UserId != actor.FindFirstValue(ClaimTypes.NameIdentifier) && await RefuseAsync(actor) is { } refused)
        {
            return refused;
        }

        if (token.RevokedAt is not null)
        {
            return OperationResult.Done($"Token '{token.Name}' was already revoked.");
        }

        token.RevokedAt = DateTimeOffset.UtcNow;
        await db.SaveChangesAsync();
        await audit.WriteAsync(Actor.NameOf(actor), "access.token.revoke", "token", token.Id.ToString(), token.Name, success: true);
        return OperationResult.Done($"Token '{token.Name}' revoked.");
    }

    /// <summary>Revokes every live API token of a user (on disable and on password reset); the cookie ends through its security stamp.</summary>
    private async Task RevokeTokensOfAsync(string userId)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var now = DateTimeOffset.UtcNow;
        foreach (var token in await db.ApiTokens.Where(t => t.UserId == userId && t.RevokedAt == null).ToListAsync())
        {
            token.RevokedAt = now;
        }

        await db.SaveChangesAsync();
    }
}
