using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Account;

/// <summary>
/// Each user's light/dark choice, kept on their account so it follows them to every browser. Written with
/// a direct UPDATE: a preference must not touch Identity's concurrency or security stamps.
/// </summary>
internal sealed class UserThemes(IDbContextFactory<WebVirtDbContext> contexts)
{
    public async Task<bool> IsDarkAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        if (UserId(user) is not { } id)
        {
            return false;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Users.Where(u => u.Id == id).Select(u => u.DarkTheme).SingleOrDefaultAsync(cancellationToken) ?? false;
    }

    public async Task SetDarkAsync(ClaimsPrincipal user, bool dark, CancellationToken cancellationToken = default)
    {
        if (UserId(user) is not { } id)
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(s => s.SetProperty(u => u.DarkTheme, dark), cancellationToken);
    }

    private static string? UserId(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? user.FindFirstValue(ClaimTypes.NameIdentifier) : null;
}
