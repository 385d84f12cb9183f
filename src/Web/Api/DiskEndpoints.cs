using System.Security.Claims;
using WebVirt.Web.Auth;
using WebVirt.Web.Disks;

namespace WebVirt.Web.Api;

/// <summary>A VM's disks under <c>/vms/{id}/disks</c>; <see cref="DiskOperations"/> checks privileges and input.</summary>
internal static class DiskEndpoints
{
    public static RouteGroupBuilder MapDiskEndpoints(this RouteGroupBuilder api)
    {
        var disks = api.MapGroup("/vms/{id:guid}/disks").RequireAuthorization(Policies.SignedIn);

        disks.MapGet("/", async (Guid id, DiskOperations operations, ClaimsPrincipal user) =>
        {
            var (refusal, list) = await operations.ListAsync(id, user);
            return refusal is null ? Results.Ok(list) : ApiResults.From(refusal);
        });

        disks.MapPost("/", async (Guid id, AddVmDiskRequest request, DiskOperations operations, ClaimsPrincipal user) =>
            ApiResults.From(await operations.AddAsync(id, request, user)));

        disks.MapPut("/{diskId}", async (Guid id, string diskId, UpdateDiskOptionsRequest request, DiskOperations operations, ClaimsPrincipal user) =>
            ApiResults.From(await operations.UpdateOptionsAsync(id, diskId, request, user)));

        disks.MapPost("/{diskId}/resize", async (Guid id, string diskId, ResizeVmDiskRequest request, DiskOperations operations, ClaimsPrincipal user) =>
            ApiResults.From(await operations.ResizeAsync(id, diskId, request, user)));

        disks.MapPost("/{diskId}/move", async (Guid id, string diskId, MoveVmDiskRequest request, DiskOperations operations, ClaimsPrincipal user) =>
            ApiResults.From(await operations.MoveAsync(id, diskId, request, user)));

        disks.MapPost("/{diskId}/compress", async (Guid id, string diskId, DiskOperations operations, ClaimsPrincipal user) =>
            ApiResults.From(await operations.CompressAsync(id, diskId, user)));

        // Detach keeps the image in its pool; deleteImage=true deletes it too.
        disks.MapDelete("/{diskId}", async (Guid id, string diskId, bool? deleteImage, DiskOperations operations, ClaimsPrincipal user) =>
            ApiResults.From(await operations.DetachAsync(id, diskId, deleteImage ?? false, user)));

        return api;
    }
}
