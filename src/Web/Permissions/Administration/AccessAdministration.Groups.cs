using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Permissions.Administration;

internal sealed partial class AccessAdministration
{
    public async Task<OperationResult> CreateGroupAsync(ClaimsPrincipal actor, string? name, string? comment)
    {
        if (await RefuseAsync(actor) is { } refused)
        {
            return refused;
        }

        if (!AccessNames.IsValid(name))
        {
            return Invalid($"name: {AccessNames.Rule}");
        }

        await using var db = await contexts.CreateDbContextAsync();
        if (await db.AccessGroups.AnyAsync(g => g.Name == name))
        {
            return Invalid($"name: a group named '{name}' already exists");
        }

        var group = new AccessGroup { Id = Guid.NewGuid(), Name = name!, Comment = Comment(comment) };
        db.AccessGroups.Add(group);
        await db.SaveChangesAsync();
        return await DoneAsync(actor, "access.group.create", "group", group.Id.ToString(), name, $"Group '{name}' created.");
    }

    public async Task<OperationResult> DeleteGroupAsync(ClaimsPrincipal actor, Guid groupId)
    {
        if (await RefuseAsync(actor) is { } refused)
        {
            return refused;
        }

        await using var db = await contexts.CreateDbContextAsync();
        var group = await db.AccessGroups.SingleOrDefaultAsync(g => g.Id == groupId);
        if (group is null)
        {
            return NotFound($"No group with id {groupId}.");
        }

        // Its members and ACL entries go with it (cascade).
        db.AccessGroups.Remove(group);
        await db.SaveChangesAsync();
        return await DoneAsync(actor, "access.group.delete", "group", groupId.ToString(), group.Name, $"Group '{group.Name}' deleted.");
    }

    public async Task<OperationResult> SetMembershipAsync(ClaimsPrincipal actor, Guid groupId, string userId, bool member)
    {
        if (await RefuseAsync(actor) is { } refused)
        {
            return refused;
        }

        await using var db = await contexts.CreateDbContextAsync();
        var group = await db.AccessGroups.Include(g => g.Members).SingleOrDefaultAsync(g => g.Id == groupId);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId);
        if (group is null || user is null)
        {
            return NotFound(group is null ? $"No group with id {groupId}." : $"No user with id {userId}.");
        }

        var existing = group.Members.SingleOrDefault(m => m.UserId == userId);
        if (member == (existing is not null))
        {
            return OperationResult.Done($"'{user.UserName}' is already {(member ? "in" : "out of")} group '{group.Name}'.");
        }

        if (member)
        {
            group.Members.Add(new AccessGroupMember { GroupId = groupId, UserId = userId });
        }
        else
        {
            group.Members.Remove(existing!);
        }

        await db.SaveChangesAsync();
        return await DoneAsync(actor, member ? "access.group.add-member" : "access.group.remove-member", "group", groupId.ToString(),
            $"{group.Name}: {user.UserName}", member ? $"'{user.UserName}' added to group '{group.Name}'." : $"'{user.UserName}' removed from group '{group.Name}'.");
    }

    private static string? Comment(string? comment) =>
        string.IsNullOrWhiteSpace(comment) ? null : comment.Trim()[..Math.Min(comment.Trim().Length, AccessLimits.CommentLength)];
}
