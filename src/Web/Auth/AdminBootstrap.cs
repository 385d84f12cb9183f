using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;

namespace WebVirt.Web.Auth;

/// <summary>
/// Creates the roles and, on the very first start, the administrator account: with the password from
/// WEBVIRT_ADMIN_PASSWORD, or a generated one printed once on the console and to be changed at first sign-in.
/// </summary>
internal static class AdminBootstrap
{
    public const string AdminUserName = "admin";
    public const string PasswordVariable = "WEBVIRT_ADMIN_PASSWORD";

    public static async Task EnsureAsync(IServiceProvider services, IConfiguration configuration, ILogger logger)
    {
        var roles = services.GetRequiredService<RoleManager<IdentityRole>>();
        if (!await roles.RoleExistsAsync(Roles.Administrator))
        {
            Check(await roles.CreateAsync(new IdentityRole(Roles.Administrator)), "create the Administrator role");
        }

        var users = services.GetRequiredService<UserManager<WebVirtUser>>();
        if (users.Users.Any())
        {
            await GrantRootToRoleAdministratorsAsync(services, users);
            return;
        }

        var given = configuration[PasswordVariable];
        var password = string.IsNullOrEmpty(given) ? GeneratePassword() : given;
        var admin = new WebVirtUser { UserName = AdminUserName, DisplayName = "Administrator", MustChangePassword = string.IsNullOrEmpty(given) };
        Check(await users.CreateAsync(admin, password), $"create the '{AdminUserName}' user (check {PasswordVariable} against the password policy)");
        Check(await users.AddToRoleAsync(admin, Roles.Administrator), "make the first user an administrator");
        await GrantRootToRoleAdministratorsAsync(services, users);

        if (string.IsNullOrEmpty(given))
        {
            // Printed once, on the console only, never logged to a file sink.
            Console.WriteLine();
            Console.WriteLine($"  First start: sign in as '{AdminUserName}' with password  {password}");
            Console.WriteLine("  (shown only now; you will be asked to change it)");
            Console.WriteLine();
        }

        AuthLog.AdminCreated(logger, AdminUserName, string.IsNullOrEmpty(given) ? "a generated password" : PasswordVariable);
    }

    /// <summary>
    /// Decisions go through the ACL, so the Identity role alone grants nothing: while the ACL is empty (first
    /// start, or a database from before permissions), its members get Administrator on <c>/</c>.
    /// </summary>
    private static async Task GrantRootToRoleAdministratorsAsync(IServiceProvider services, UserManager<WebVirtUser> users)
    {
        var contexts = services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        if (await db.AclEntries.AnyAsync())
        {
            return;
        }

        foreach (var admin in await users.GetUsersInRoleAsync(Roles.Administrator))
        {
            db.AclEntries.Add(new AclEntry { Id = Guid.NewGuid(), Path = AclPaths.Root, UserId = admin.Id, RoleName = BuiltInRoles.Administrator, Propagate = true });
        }

        await db.SaveChangesAsync();
        services.GetRequiredService<PermissionService>().NotifyChanged();
    }

    private static string GeneratePassword()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var chars = RandomNumberGenerator.GetItems<char>(alphabet, 20);
        return string.Concat(new string(chars), "-7a");
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }
}
