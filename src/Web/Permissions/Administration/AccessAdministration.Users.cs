using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Inventory;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Permissions.Administration;

internal sealed partial class AccessAdministration
{
    public async Task<OperationResult> CreateUserAsync(ClaimsPrincipal actor, string? userName, string? displayName, string? password, bool mustChangePassword)
    {
        if (await RefuseAsync(actor) is { } refused)
        {
            return refused;
        }

        if (!AccessNames.IsValid(userName))
        {
            return Invalid($"userName: {AccessNames.Rule}");
        }

        if (await users.FindByNameAsync(userName!) is not null)
        {
            return Invalid($"userName: a user named '{userName}' already exists");
        }

        var user = new WebVirtUser { UserName = userName, DisplayName = string.IsNullOrWhiteSpace(displayName) ? null : displayName.Trim(), MustChangePassword = mustChangePassword };
        var created = await users.CreateAsync(user, password ?? "");
        if (!created.Succeeded)
        {
            return Invalid("password: " + Describe(created));
        }

        return await DoneAsync(actor, "access.user.create", "user", user.Id, userName, $"User '{userName}' created.");
    }

    /// <summary>Disabling locks the account with no end (Identity lockout), revokes its API tokens and ends its cookies; enabling lifts the lock.</summary>
    public async Task<OperationResult> SetUserEnabledAsync(ClaimsPrincipal actor, string userId, bool enabled)
    {
        if (await RefuseAsync(actor) is { } refused)
        {
            return refused;
        }

        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return NotFound($"No user with id {userId}.");
        }

        if (!enabled && await ProtectedAsync(actor, user, "disable") is { } protectedUser)
        {
            return protectedUser;
        }

        await users.SetLockoutEnabledAsync(user, true);
        await users.SetLockoutEndDateAsync(user, enabled ? null : DateTimeOffset.MaxValue);
        await users.UpdateSecurityStampAsync(user);
        if (!enabled)
        {
            // Revoked, not only refused while disabled: enabling the account again must not bring old tokens back.
            await RevokeTokensOfAsync(user.Id);
            signInEnds.End(user.Id);
        }

        return await DoneAsync(actor, enabled ? "access.user.enable" : "access.user.disable", "user", user.Id, user.UserName,
            $"User '{user.UserName}' {(enabled ? "enabled" : "disabled")}.");
    }

    /// <summary>Clears a lockout from failed sign-ins (not a deliberate disable) and the failure count.</summary>
    public async Task<OperationResult> UnlockUserAsync(ClaimsPrincipal actor, string userId)
    {
        if (await RefuseAsync(actor) is { } refused)
        {
            return refused;
        }

        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return NotFound($"No user with id {userId}.");
        }

        if (user.LockoutEnd == DateTimeOffset.MaxValue)
        {
            return new OperationResult(OperationStatus.Conflict, $"User '{user.UserName}' is disabled, not locked out: enable the account instead.");
        }

        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        // Wrong passwords lock per (user, address), in memory: the unlock clears every address's count too.
        signInLockouts.Clear(user.UserName!);
        return await DoneAsync(actor, "access.user.unlock", "user", user.Id, user.UserName, $"User '{user.UserName}' unlocked.");
    }

    public async Task<OperationResult> ResetPasswordAsync(ClaimsPrincipal actor, string userId, string? password, bool mustChangePassword)
    {
        if (await RefuseAsync(actor) is { } refused)
        {
            return refused;
        }

        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return NotFound($"No user with id {userId}.");
        }

        var errors = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            var check = await validator.ValidateAsync(users, user, password ?? "");
            if (!check.Succeeded)
            {
                errors.Add(Describe(check));
            }
        }

        if (errors.Count > 0)
        {
            return Invalid("password: " + string.Join(" ", errors));
        }

        await users.RemovePasswordAsync(user);
        var set = await users.AddPasswordAsync(user, password!);
        if (!set.Succeeded)
        {
            return Invalid("password: " + Describe(set));
        }

        user.MustChangePassword = mustChangePassword;
        await users.UpdateAsync(user);
        await users.UpdateSecurityStampAsync(user);
        // A reset is what an administrator does when the password may be known to someone else: so may a token be.
        await RevokeTokensOfAsync(user.Id);
        signInEnds.End(user.Id);
        return await DoneAsync(actor, "access.user.password-reset", "user", user.Id, user.UserName, $"Password of '{user.UserName}' reset.");
    }

    public async Task<OperationResult> DeleteUserAsync(ClaimsPrincipal actor, string userId)
    {
        if (await RefuseAsync(actor) is { } refused)
        {
            return refused;
        }

        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return NotFound($"No user with id {userId}.");
        }

        if (await ProtectedAsync(actor, user, "delete") is { } protectedUser)
        {
            return protectedUser;
        }

        var deleted = await users.DeleteAsync(user);
        if (!deleted.Succeeded)
        {
            return Invalid(Describe(deleted));
        }

        signInEnds.End(user.Id);
        return await DoneAsync(actor, "access.user.delete", "user", user.Id, user.UserName, $"User '{user.UserName}' deleted.");
    }

    /// <summary>Refuses to disable or delete the acting user, or the last user who holds Permissions.Modify on / (nobody could manage access after).</summary>
    private async Task<OperationResult?> ProtectedAsync(ClaimsPrincipal actor, WebVirtUser user, string what)
    {
        if (actor.FindFirstValue(ClaimTypes.NameIdentifier) == user.Id)
        {
            return new OperationResult(OperationStatus.Conflict, $"You cannot {what} your own account.");
        }

        if (!(await permissions.ForUserIdAsync(user.Id)).Has(AclPaths.Root, Privileges.PermissionsModify))
        {
            return null;
        }

        var accounts = await users.Users.Where(u => u.Id != user.Id).Select(u => new { u.Id, u.LockoutEnd }).ToListAsync();
        foreach (var other in accounts.Where(u => u.LockoutEnd != DateTimeOffset.MaxValue).Select(u => u.Id))
        {
            if ((await permissions.ForUserIdAsync(other)).Has(AclPaths.Root, Privileges.PermissionsModify))
            {
                return null;
            }
        }

        return new OperationResult(OperationStatus.Conflict, $"You cannot {what} '{user.UserName}': it is the last administrator (Permissions.Modify on /).");
    }

    private static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));
}
