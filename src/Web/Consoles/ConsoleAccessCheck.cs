using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WebVirt.Web.Account;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;

namespace WebVirt.Web.Consoles;

/// <summary>
/// Asks of every open console whether its user may still have it: the account exists, is not disabled, its
/// security stamp is the one it signed in with (a password reset or a disable changes it), and VM.Console on the
/// VM still holds. A console that fails is cut off. Share links are left alone: revoking the link ends those.
/// </summary>
internal sealed class ConsoleAccessCheck(
    ConsoleSessions sessions,
    PermissionService permissions,
    IServiceScopeFactory scopes,
    IOptions<IdentityOptions> identity,
    ILogger<ConsoleAccessCheck> logger)
{
    /// <summary>Checks every open console once; returns how many were cut off.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var open = sessions.All().Where(s => s.User is not null && !s.Disconnected.IsCancellationRequested).ToList();
        if (open.Count == 0)
        {
            return 0;
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<WebVirtUser>>();
        var ended = 0;
        foreach (var session in open)
        {
            if (await ReasonToEndAsync(users, session, cancellationToken) is { } reason)
            {
                ConsoleLog.AccessEnded(logger, session.UserName, session.Kind, session.VmId, reason);
                session.Disconnect(reason);
                ended++;
            }
        }

        return ended;
    }

    private async Task<string?> ReasonToEndAsync(UserManager<WebVirtUser> users, ConsoleSession session, CancellationToken cancellationToken)
    {
        var principal = session.User!;
        if (!await SecurityStamps.StillValidAsync(users, principal, identity.Value))
        {
            return "the account's sign-in was ended (deleted, disabled or password reset)";
        }

        return await permissions.HasOnVmAsync(principal, session.VmId, Privileges.VmConsole, cancellationToken)
            ? null
            : "VM.Console on this VM was taken away";
    }
}
