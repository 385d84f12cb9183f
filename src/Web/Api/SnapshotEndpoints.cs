using System.Security.Claims;
using WebVirt.Web.Auth;
using WebVirt.Web.Snapshots;

namespace WebVirt.Web.Api;

/// <summary>/api/v1/vms/{id}/snapshots: list, take, revert, delete. Each checks VM.Snapshot (listing VM.Audit) in <see cref="SnapshotOperations"/>.</summary>
internal static class SnapshotEndpoints
{
    public static RouteGroupBuilder MapSnapshotEndpoints(this RouteGroupBuilder api)
    {
        // Signed in is enough for the group: each operation checks its own privilege, so VM.Snapshot granted on a pool works.
        var snapshots = api.MapGroup("/vms/{id:guid}/snapshots").RequireAuthorization(Policies.SignedIn);

        snapshots.MapGet("/", async (Guid id, SnapshotOperations operations, ClaimsPrincipal user) =>
        {
            var (error, list) = await operations.ListAsync(id, user);
            return list is not null ? Results.Ok(list) : ApiResults.From(error!);
        });

        snapshots.MapPost("/", async (Guid id, TakeSnapshotRequest request, SnapshotOperations operations, ClaimsPrincipal user) =>
            ApiResults.From(await operations.TakeAsync(id, request, user)));

        snapshots.MapPost("/{name}/revert", async (Guid id, string name, SnapshotOperations operations, ClaimsPrincipal user) =>
            ApiResults.From(await operations.RevertAsync(id, name, user)));

        snapshots.MapDelete("/{name}", async (Guid id, string name, SnapshotOperations operations, ClaimsPrincipal user) =>
            ApiResults.From(await operations.DeleteAsync(id, name, user)));

        return api;
    }
}
