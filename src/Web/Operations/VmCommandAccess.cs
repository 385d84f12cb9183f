using System.Security.Claims;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Operations;

/// <summary>The privilege checks of a <see cref="VmCommand"/>, as its <see cref="VmAccess"/> says.</summary>
internal sealed class VmCommandAccess(PermissionService permissions)
{
    /// <summary>Null when <paramref name="user"/> may run it; <paramref name="vm"/> is the VM when it was loaded first.</summary>
    public async Task<OperationResult?> RefuseAsync(ClaimsPrincipal user, Guid vmId, VmRecord? vm, VmCommand command)
    {
        var access = command.Access;
        if (access.HiddenWithoutAudit && !await permissions.HasOnVmAsync(user, vmId, Privileges.VmAudit))
        {
            return new OperationResult(OperationStatus.NotFound, $"No VM with id {vmId}.");
        }

        if (!await permissions.HasOnVmAsync(user, vmId, command.Privilege))
        {
            return new OperationResult(OperationStatus.Forbidden, access.Forbidden?.Invoke(vm) ?? $"You lack {command.Privilege} on VM {vmId}.");
        }

        foreach (var (privilege, refusal) in access.OnRoot)
        {
            if (!await permissions.HasAsync(user, AclPaths.Root, privilege))
            {
                return new OperationResult(OperationStatus.Forbidden, refusal);
            }
        }

        return null;
    }
}
