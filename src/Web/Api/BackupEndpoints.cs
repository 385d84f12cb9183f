using System.Security.Claims;
using WebVirt.Web.Auth;
using WebVirt.Web.Backups;

namespace WebVirt.Web.Api;

/// <summary>/api/v1/vms/{id}/backups: list, back up now, verify, restore, schedule. Permissions are checked in <see cref="BackupOperations"/>.</summary>
internal static class BackupEndpoints
{
    public static RouteGroupBuilder MapBackupEndpoints(this RouteGroupBuilder api)
    {
        // Signed in is enough for the group: each operation checks its own privilege, so VM.Backup granted on a pool works.
        var backups = api.MapGroup("/vms/{id:guid}/backups").RequireAuthorization(Policies.SignedIn);

        backups.MapGet("/", async (Guid id, BackupOperations operations, ClaimsPrincipal user) =>
        {
            var (error, list) = await operations.ListAsync(id, user);
            return list is not null ? Results.Ok(list) : ApiResults.From(error!);
        });

        backups.MapPost("/", async (Guid id, int? keepLast, BackupOperations operations, ClaimsPrincipal user) =>
            ApiResults.From(await operations.BackupNowAsync(id, keepLast ?? 0, user)));

        backups.MapPost("/{backupId}/verify", async (Guid id, string backupId, BackupOperations operations, ClaimsPrincipal user) =>
            ApiResults.From(await operations.VerifyAsync(id, backupId, user)));

        backups.MapPost("/{backupId}/restore", async (Guid id, string backupId, RestoreBackupRequest request, BackupOperations operations, ClaimsPrincipal user) =>
            ApiResults.From(await operations.RestoreAsync(id, backupId, request, user)));

        backups.MapPut("/schedule", async (Guid id, BackupScheduleRequest request, BackupOperations operations, ClaimsPrincipal user, TimeProvider time) =>
            ApiResults.From(await operations.SetScheduleAsync(id, request, user, time.GetUtcNow())));

        return api;
    }
}
