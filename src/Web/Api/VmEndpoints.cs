using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Auth;
using WebVirt.Web.Inventory;
using WebVirt.Web.Operations;
using WebVirt.Web.Permissions;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Api;

internal static class VmEndpoints
{
    public static RouteGroupBuilder MapVmEndpoints(this RouteGroupBuilder api)
    {
        // Each endpoint checks its own privilege (through VmOperations for actions); VMs the user may not
        // audit are left out of lists and answered 404, as if they did not exist.
        var vms = api.MapGroup("/vms").RequireAuthorization(Policies.SignedIn);

        vms.MapGet("/", async (IDbContextFactory<WebVirtDbContext> contexts, PermissionService permissions, ClaimsPrincipal user) =>
        {
            var visible = await permissions.VmsWithAsync(user, Privileges.VmAudit);
            await using var db = await contexts.CreateDbContextAsync();
            var query = db.Vms.AsNoTracking().AsSplitQuery().Include(v => v.Host).Include(v => v.Disks).Include(v => v.Nics);
            var records = visible is null
                ? await query.OrderBy(v => v.Name).ToListAsync()
                : await query.Where(v => visible.Contains(v.Id)).OrderBy(v => v.Name).ToListAsync();
            return Results.Ok(records.Select(ToResponse));
        });

        vms.MapGet("/{id:guid}", async (Guid id, IDbContextFactory<WebVirtDbContext> contexts, PermissionService permissions, ClaimsPrincipal user) =>
        {
            await using var db = await contexts.CreateDbContextAsync();
            var record = await permissions.HasOnVmAsync(user, id, Privileges.VmAudit)
                ? await db.Vms.AsNoTracking().AsSplitQuery().Include(v => v.Host).Include(v => v.Disks).Include(v => v.Nics).SingleOrDefaultAsync(v => v.Id == id)
                : null;
            return record is null
                ? Results.Problem(detail: $"No VM with id {id}.", statusCode: StatusCodes.Status404NotFound, title: "Not found")
                : Results.Ok(ToResponse(record));
        });

        vms.MapPost("/", async (CreateVmRequest request, VmOperations operations, ClaimsPrincipal user) =>
        {
            var result = await operations.CreateAsync(request, user);
            return result.Status == OperationStatus.Done
                ? Results.Created($"/api/v1/vms/{result.VmId}", new OperationResponse(result.Message, result.TaskId, result.VmId))
                : ApiResults.From(result);
        });

        vms.MapPost("/{id:guid}/start", (Guid id, VmOperations operations, ClaimsPrincipal user) => PowerAsync(operations, id, PowerAction.Start, null, user));
        vms.MapPost("/{id:guid}/shutdown", (Guid id, int? timeout, VmOperations operations, ClaimsPrincipal user) => PowerAsync(operations, id, PowerAction.Shutdown, timeout, user));
        vms.MapPost("/{id:guid}/stop", (Guid id, VmOperations operations, ClaimsPrincipal user) => PowerAsync(operations, id, PowerAction.Stop, null, user));
        vms.MapPost("/{id:guid}/reset", (Guid id, VmOperations operations, ClaimsPrincipal user) => PowerAsync(operations, id, PowerAction.Reset, null, user));
        vms.MapPost("/{id:guid}/pause", (Guid id, VmOperations operations, ClaimsPrincipal user) => PowerAsync(operations, id, PowerAction.Pause, null, user));
        vms.MapPost("/{id:guid}/resume", (Guid id, VmOperations operations, ClaimsPrincipal user) => PowerAsync(operations, id, PowerAction.Resume, null, user));

        vms.MapPatch("/{id:guid}", async (Guid id, UpdateVmOptionsRequest request, VmOperations operations, ClaimsPrincipal user) =>
            ApiResults.From(await operations.UpdateOptionsAsync(id, request, user)));
        vms.MapPut("/{id:guid}/hardware", async (Guid id, UpdateVmHardwareRequest request, VmOperations operations, ClaimsPrincipal user) =>
            ApiResults.From(await operations.UpdateHardwareAsync(id, request, user)));

        vms.MapDelete("/{id:guid}", async (Guid id, bool? removeDisks, VmOperations operations, ClaimsPrincipal user) =>
            ApiResults.From(await operations.DeleteAsync(id, removeDisks ?? false, user)));

        return api;
    }

    private static async Task<IResult> PowerAsync(VmOperations operations, Guid id, PowerAction action, int? timeout, ClaimsPrincipal user) =>
        ApiResults.From(await operations.PowerAsync(id, action, timeout, user));

    private static VmResponse ToResponse(VmRecord record) => new()
    {
        Id = record.Id,
        Name = record.Name,
        HostId = record.HostId,
        HostName = record.Host?.Name ?? "",
        State = record.ActualState,
        DesiredState = record.DesiredState,
        QemuStatus = record.QemuStatus,
        StateMismatch = record.StateMismatch,
        PendingDeletion = record.PendingDeletion,
        Pid = record.Pid,
        StartedAt = record.StartedAt,
        LastExit = record.LastExit,
        Description = record.Description,
        Tags = record.Tags,
        Definition = VmRecordMapper.ToDefinition(record),
        PendingDefinition = record.PendingDefinition,
    };
}
