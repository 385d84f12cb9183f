using Microsoft.AspNetCore.Authorization;
using WebVirt.Web.Permissions;

namespace WebVirt.Web.Auth;

/// <summary>Decides <see cref="RootPrivilegeRequirement"/> through <see cref="PermissionService"/>, like every other check.</summary>
internal sealed class RootPrivilegeHandler(PermissionService permissions) : AuthorizationHandler<RootPrivilegeRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, RootPrivilegeRequirement requirement)
    {
        if (await permissions.HasAsync(context.User, AclPaths.Root, requirement.Privilege))
        {
            context.Succeed(requirement);
        }
    }
}
