using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Rules.Definitions;
using WebVirt.Shared.Vms;
using WebVirt.Web.Inventory;
using WebVirt.Web.Operations;
using WebVirt.Web.Permissions;

namespace WebVirt.Web.Vms;

internal sealed partial class VmOperations
{
    public const int MaxDescriptionLength = 20_000;

    /// <summary>
    /// Changes name, description, tags, autostart and start order (VM.Config). Description and tags live only in
    /// the panel; a new name goes to the host with the definition (VM stopped); autostart and start order reach
    /// the host's stored definition even while the VM runs, since the host autostarts from it.
    /// </summary>
    public async Task<OperationResult> UpdateOptionsAsync(Guid vmId, UpdateVmOptionsRequest request, ClaimsPrincipal user)
    {
        if (!await permissions.HasOnVmAsync(user, vmId, Privileges.VmConfig))
        {
            return new OperationResult(OperationStatus.Forbidden, $"You may not change the options of VM {vmId} ({Privileges.VmConfig} is needed).");
        }

        await using var db = await contexts.CreateDbContextAsync();
        var vm = await VmQueries.LoadAsync(db, vmId);
        if (vm is null)
        {
            return new OperationResult(OperationStatus.NotFound, $"No VM with id {vmId}.");
        }

        var errors = new List<string>();
        var name = request.Name?.Trim();
        var renames = name is not null && !string.Equals(name, vm.Name, StringComparison.Ordinal);
        if (renames && !DefinitionValidator.IsValidName(name))
        {
            errors.Add("name: must be 1-63 characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        else if (renames && await db.Vms.AnyAsync(v => v.HostId == vm.HostId && v.Id != vm.Id && v.Name == name))
        {
            errors.Add($"name: a VM named '{name}' already exists on host '{vm.Host!.Name}'");
        }

        if (request.Description is { Length: > MaxDescriptionLength })
        {
            errors.Add($"description: at most {MaxDescriptionLength} characters");
        }

        var (tags, tagErrors) = VmTags.Normalize(request.Tags ?? vm.Tags);
        errors.AddRange(tagErrors);
        var startOrder = request.StartOrder ?? vm.StartOrder;
        if (startOrder is < 0 or > DefinitionValidator.MaxStartOrder)
        {
            errors.Add($"startOrder: must be between 0 (no particular order) and {DefinitionValidator.MaxStartOrder}");
        }

        if (errors.Count > 0)
        {
            return new OperationResult(OperationStatus.Invalid, string.Join("; ", errors));
        }

        if (renames && !IsStopped(vm))
        {
            return new OperationResult(OperationStatus.Conflict, $"VM '{vm.Name}' is {vm.ActualState.ToString().ToLowerInvariant()}: stop it before renaming it.");
        }

        var autostart = request.Autostart ?? vm.Autostart;
        var startChanges = autostart != vm.Autostart || startOrder != vm.StartOrder;
        var userName = Actor.NameOf(user);
        var task = await tasks.StartAsync("vm.options", "vm", vm.Id.ToString(), vm.Name, userName, Describe(vm, name, request, tags, autostart, startOrder));
        if (renames)
        {
            // The host keeps the name in its definition (QEMU's -name); a stopped VM's definition is replaced whole.
            var definition = VmRecordMapper.ToDefinition(vm) with { Name = name!, Autostart = autostart, StartOrder = startOrder };
            var reply = await agents.SendAsync(vm.HostId, vm.Host!.Name, agent => agent.DefineVm(definition, []));
            if (!reply.Ok)
            {
                return await finisher.FailAsync(task.Id, vm.Id, reply);
            }

            VmRecordMapper.ApplyDefinition(vm, definition);
        }
        else if (startChanges)
        {
            var reply = await agents.SendAsync(vm.HostId, vm.Host!.Name, agent => agent.SetStartOptions(vm.Id, autostart, startOrder));
            if (!reply.Ok)
            {
                return await finisher.FailAsync(task.Id, vm.Id, reply);
            }

            vm.Autostart = autostart;
            vm.StartOrder = startOrder;
        }

        if (request.Description is not null)
        {
            vm.Description = request.Description.Length == 0 ? null : request.Description;
        }

        vm.Tags = tags;
        if (vm.PendingDefinition is { } pending)
        {
            // Pending hardware changes are applied later as a whole definition: keep it in step with the options.
            vm.PendingDefinition = pending with { Name = vm.Name, Autostart = vm.Autostart, StartOrder = vm.StartOrder };
        }

        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateConcurrencyException)
        {
            return await finisher.FinishAsync(task.Id, vm.Id, new OperationResult(OperationStatus.Conflict, "Someone else changed the VM at the same time; reload and try again."));
        }

        return await finisher.FinishAsync(task.Id, vm.Id, OperationResult.Done($"Options of VM '{vm.Name}' saved."));
    }

    private static bool IsStopped(VmRecord vm) => vm.ActualState is VmPowerState.Stopped or VmPowerState.Crashed;

    /// <summary>What changes, for the audit row.</summary>
    private static string? Describe(VmRecord vm, string? name, UpdateVmOptionsRequest request, List<string> tags, bool autostart, int startOrder)
    {
        var changes = new List<string>();
        if (name is not null && name != vm.Name)
        {
            changes.Add($"name '{vm.Name}' → '{name}'");
        }

        if (request.Description is not null && request.Description != (vm.Description ?? ""))
        {
            changes.Add("description");
        }

        if (!tags.SequenceEqual(vm.Tags))
        {
            changes.Add($"tags [{string.Join(", ", tags)}]");
        }

        if (autostart != vm.Autostart)
        {
            changes.Add($"autostart {(autostart ? "on" : "off")}");
        }

        if (startOrder != vm.StartOrder)
        {
            changes.Add($"start order {startOrder}");
        }

        return changes.Count == 0 ? "no change" : string.Join("; ", changes);
    }
}
