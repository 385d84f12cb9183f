using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;
using WebVirt.Web.Tasks;

namespace WebVirt.Web.Consoles;

/// <summary>
/// Console share links: <c>/share/{token}</c> opens a VM's VNC console without an account, view-only or interactive,
/// until the link expires (at most <see cref="MaxLifetime"/>) or is revoked. The token is 256 random bits behind
/// <see cref="TokenPrefix"/>; only its SHA-256 is stored. Creating, listing and revoking need VM.Console and
/// Permissions.Modify on the VM: a link hands console access to anyone holding it, which is granting a permission.
/// Creating and revoking are tasks; every use of a link, refused or not, is an audit row (see <see cref="ShareEndpoints"/>).
/// </summary>
internal sealed class ConsoleShareLinks(
    IDbContextFactory<WebVirtDbContext> contexts,
    PermissionService permissions,
    TaskLog tasks,
    ConsoleSessions sessions,
    TimeProvider time)
{
    public const string TokenPrefix = "wvs_";

    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(7);

    public static string PagePath(string token) => $"/share/{Uri.EscapeDataString(token)}";

    /// <summary>The name a link's viewers go by in the console's list of viewers and the audit log.</summary>
    public static string ViewerName(ConsoleShareLink link) =>
        $"Share link {ShortId(link)} ({(link.ViewOnly ? "view only" : "interactive")})";

    /// <summary>The random end of the id (a version 7 id starts with its creation time, shared by links made together).</summary>
    public static string ShortId(ConsoleShareLink link) => link.Id.ToString("N")[^8..];

    public async Task<bool> MayManageAsync(ClaimsPrincipal user, Guid vmId, CancellationToken cancellationToken = default) =>
        await permissions.HasOnVmAsync(user, vmId, Privileges.VmConsole, cancellationToken)
        && await permissions.HasOnVmAsync(user, vmId, Privileges.PermissionsModify, cancellationToken);

    public async Task<CreatedShareLink> CreateAsync(ClaimsPrincipal user, Guid vmId, bool viewOnly, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        if (lifetime <= TimeSpan.Zero || lifetime > MaxLifetime)
        {
            throw new ShareLinkException($"A share link lives between a minute and {MaxLifetime.TotalDays:0} days.");
        }

        if (!await MayManageAsync(user, vmId, cancellationToken))
        {
            throw new ShareLinkException("Sharing a console needs VM.Console and Permissions.Modify on the VM.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var vmName = await db.Vms.AsNoTracking().Where(v => v.Id == vmId && !v.PendingDeletion).Select(v => v.Name).FirstOrDefaultAsync(cancellationToken)
            ?? throw new ShareLinkException("There is no such VM.");

        var userName = UserName(user);
        var token = SecretTokens.Generate(TokenPrefix);
        var now = time.GetUtcNow();
        var link = new ConsoleShareLink
        {
            Id = Guid.CreateVersion7(now),
            VmId = vmId,
            TokenHash = SecretTokens.Hash(token),
            ViewOnly = viewOnly,
            CreatedBy = userName,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
        var task = await tasks.StartAsync(
            "console.share.create", "vm", vmId.ToString(), vmName, userName,
            $"{(viewOnly ? "view-only" : "interactive")} link {link.Id}, expires {link.ExpiresAt:u}", cancellationToken);
        db.ConsoleShareLinks.Add(link);
        await db.SaveChangesAsync(cancellationToken);
        await tasks.CompleteAsync(task.Id, CancellationToken.None);
        return new CreatedShareLink(link, token);
    }

    /// <summary>The VM's links that still work, soonest to expire first; empty for a user who may not manage them.</summary>
    public async Task<IReadOnlyList<ConsoleShareLink>> ActiveAsync(ClaimsPrincipal user, Guid vmId, CancellationToken cancellationToken = default)
    {
        if (!await MayManageAsync(user, vmId, cancellationToken))
        {
            return [];
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var links = await db.ConsoleShareLinks.AsNoTracking().Where(l => l.VmId == vmId && l.RevokedAt == null).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        return [.. links.Where(l => l.ExpiresAt > now).OrderBy(l => l.ExpiresAt)];
    }

    /// <summary>Revokes a link and cuts off whoever is watching through it.</summary>
    public async Task RevokeAsync(ClaimsPrincipal user, Guid linkId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var link = await db.ConsoleShareLinks.FirstOrDefaultAsync(l => l.Id == linkId, cancellationToken)
            ?? throw new ShareLinkException("There is no such share link.");
        if (!await MayManageAsync(user, link.VmId, cancellationToken))
        {
            throw new ShareLinkException("Revoking a share link needs VM.Console and Permissions.Modify on the VM.");
        }

        if (link.RevokedAt is not null)
        {
            return;
        }

        var vmName = await db.Vms.AsNoTracking().Where(v => v.Id == link.VmId).Select(v => v.Name).FirstOrDefaultAsync(cancellationToken);
        var task = await tasks.StartAsync("console.share.revoke", "vm", link.VmId.ToString(), vmName, UserName(user), $"link {link.Id}", cancellationToken);
        link.RevokedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        foreach (var session in sessions.Of(link.VmId).Where(s => s.ShareLinkId == link.Id))
        {
            sessions.Disconnect(session.Id);
        }

        await tasks.CompleteAsync(task.Id, CancellationToken.None);
    }

    /// <summary>Checks a presented token; a good one has its last use stamped.</summary>
    public async Task<ShareLinkCheck> CheckAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token) || !token.StartsWith(TokenPrefix, StringComparison.Ordinal))
        {
            return new ShareLinkCheck(null, null, "This is not a share link.");
        }

        var hash = SecretTokens.Hash(token);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var link = await db.ConsoleShareLinks.FirstOrDefaultAsync(l => l.TokenHash == hash, cancellationToken);
        if (link is null)
        {
            return new ShareLinkCheck(null, null, "Unknown share link.");
        }

        var vmName = await db.Vms.AsNoTracking().Where(v => v.Id == link.VmId && !v.PendingDeletion).Select(v => v.Name).FirstOrDefaultAsync(cancellationToken);
        var now = time.GetUtcNow();
        var refusal = link.RevokedAt is not null ? "This share link was revoked."
            : now >= link.ExpiresAt ? "This share link expired."
            : vmName is null ? "The shared VM no longer exists."
            : null;
        if (refusal is null)
        {
            link.LastUsedAt = now;
            await db.SaveChangesAsync(cancellationToken);
        }

        return new ShareLinkCheck(link, vmName, refusal);
    }

    private static string UserName(ClaimsPrincipal user) =>
        user.Identity?.Name ?? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown";
}
