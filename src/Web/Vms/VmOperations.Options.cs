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
    public Task<OperationResult> UpdateOptionsAsync(Guid vmId, UpdateVmOptionsRequest request, ClaimsPrincipal user)
    {
        // Worked out by the check, from the loaded VM.
        var name = request.Name?.Trim();
        var renames = false;
        var startChanges = false;
        var autostart = false;
        var startOrder = 0;
        var tags = new List<string>();
        VmDefinition? renamed = null;
        return pipeline.RunAsync(vmId, new VmCommand(
            Privileges.VmConfig,
            "vm.options",
            _ => renamed is not null ? agent => agent.DefineVm(renamed, [])
                : startChanges ? agent => agent.SetStartOptions(vmId, autostart, startOrder)
                : null,
            vm => $"Options of VM '{vm.Name}' saved.")
        {
            Access = new VmAccess { Forbidden = _ => $"You may not change the options of VM {vmId} ({Privileges.VmConfig} is needed)." },
            Keys = DiskKeyHandover.None,
            Check = async vm =>
            {
                renames = name is not null && !string.Equals(name, vm.Name, StringComparison.Ordinal);
                var errors = new List<string>();
                if (renames && !DefinitionValidator.IsValidName(name))
                {
                    errors.Add("name: must be 1-63 characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
                }
                else if (renames && await NameTakenAsync(vm, name!))
                {
                    errors.Add($"name: a VM named '{name}' already exists on host '{vm.Host!.Name}'");
                }

                if (request.Description is { Length: > MaxDescriptionLength })
                {
                    errors.Add($"description: at most {MaxDescriptionLength} characters");
                }

                (tags, var tagErrors) = VmTags.Normalize(request.Tags ?? vm.Tags);
                errors.AddRange(tagErrors);
                startOrder = request.StartOrder ?? vm.StartOrder;
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

                autostart = request.Autostart ?? vm.Autostart;
                startChanges = autostart != vm.Autostart || startOrder != vm.StartOrder;

                // The host keeps the name in its definition (QEMU's -name); a stopped VM's definition is replaced whole.
                renamed = renames ? VmRecordMapper.ToDefinition(vm) with { Name = name!, Autostart = autostart, StartOrder = startOrder } : null;
                return null;
            },
            TaskDetails = vm => Describe(vm, name, request, tags, autostart, startOrder),
            Apply = run =>
            {
                var vm = run.Vm;
                if (renamed is not null)
                {
                    VmRecordMapper.ApplyDefinition(vm, renamed);
                }
                else if (startChanges)
                {
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

                return Task.CompletedTask;
            },
            ReconcilesReport = false,
        }, user);
    }

    private async Task<bool> NameTakenAsync(VmRecord vm, string name)
    {
        await using var db = await contexts.CreateDbContextAsync();
        return await db.Vms.AnyAsync(v => v.HostId == vm.HostId && v.Id != vm.Id && v.Name == name);
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
