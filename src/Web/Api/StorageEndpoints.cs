using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using WebVirt.Web.Auth;
using WebVirt.Web.Permissions;
using WebVirt.Web.Storage;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Api;

/// <summary>
/// Pools, their files, uploads and downloads under <c>/api/v1/hosts/{hostId}/pools</c>, and the CD-ROM drive of
/// a VM. The upload page of the panel uses the same endpoints as scripts do.
/// </summary>
internal static class StorageEndpoints
{
    public static RouteGroupBuilder MapStorageEndpoints(this RouteGroupBuilder api)
    {
        // Signed in is enough here: each operation checks its own privilege on the pool (Datastore.Audit to see,
        // Datastore.AllocateSpace to put or delete files, Datastore.Allocate to add or remove pools), so that a
        // privilege granted on one pool is usable, as in Proxmox.
        var pools = api.MapGroup("/hosts/{hostId:guid}/pools").RequireAuthorization(Policies.SignedIn);

        // The pools the user holds Datastore.Audit on.
        pools.MapGet("/", async (Guid hostId, PoolOperations operations, PermissionService permissions, ClaimsPrincipal user) =>
        {
            if (await operations.ListAsync(hostId) is not { } list)
            {
                return Results.Problem(detail: $"No host with id {hostId}.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
            }

            var visible = new List<PoolView>();
            foreach (var pool in list)
            {
                if (await permissions.HasAsync(user, AclPaths.Storage(pool.Id), Privileges.DatastoreAudit))
                {
                    visible.Add(pool);
                }
            }

            return Results.Ok(visible);
        });

        pools.MapPost("/", async (Guid hostId, AddPoolRequest request, PoolOperations operations, ClaimsPrincipal user) =>
            ApiResults.From(await operations.AddAsync(hostId, request, user)));

        pools.MapDelete("/{poolId:guid}", async (Guid hostId, Guid poolId, PoolOperations operations, ClaimsPrincipal user) =>
            ApiResults.From(await operations.RemoveAsync(hostId, poolId, user)));

        pools.MapGet("/{poolId:guid}/content", async (Guid hostId, Guid poolId, PoolFileOperations operations, ClaimsPrincipal user) =>
        {
            var (result, files) = await operations.ContentAsync(hostId, poolId, user);
            return result.Succeeded ? Results.Ok(files) : ApiResults.From(result);
        });

        pools.MapDelete("/{poolId:guid}/content/{fileName}", async (Guid hostId, Guid poolId, string fileName, PoolFileOperations operations, ClaimsPrincipal user) =>
            ApiResults.From(await operations.DeleteAsync(hostId, poolId, fileName, user)));

        pools.MapGet("/{poolId:guid}/uploads/{fileName}", async (Guid hostId, Guid poolId, string fileName, UploadOperations operations, ClaimsPrincipal user) =>
        {
            var (result, received) = await operations.StatusAsync(hostId, poolId, fileName, user);
            return result.Succeeded ? Results.Ok(new UploadChunkResponse(received, false, null, null, null)) : ApiResults.From(result);
        });

        // One chunk: the raw body, written at ?offset= of a file of ?total= bytes; ?sha256= is checked at the end.
        pools.MapPut("/{poolId:guid}/uploads/{fileName}", async (
            Guid hostId, Guid poolId, string fileName, long offset, long total, string? sha256,
            HttpContext context, UploadOperations operations, IOptions<StorageOptions> options, ClaimsPrincipal user) =>
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = options.Value.MaxChunkBytes;
            }

            var (result, response) = await operations.ReceiveChunkAsync(
                hostId, poolId, fileName, offset, total, sha256, context.Request.Body, context.Request.ContentLength, user, context.RequestAborted);
            return result.Succeeded ? Results.Ok(response) : Problem(result, response);
        });

        pools.MapDelete("/{poolId:guid}/uploads/{fileName}", async (Guid hostId, Guid poolId, string fileName, UploadOperations operations, ClaimsPrincipal user) =>
            ApiResults.From(await operations.DiscardAsync(hostId, poolId, fileName, user)));

        pools.MapPost("/{poolId:guid}/downloads", async (Guid hostId, Guid poolId, DownloadFileRequest request, DownloadOperations operations, ClaimsPrincipal user) =>
            ApiResults.From(await operations.StartAsync(hostId, poolId, request, user)));

        api.MapPost("/vms/{id:guid}/cdrom", async (Guid id, ChangeCdromRequest request, PoolFileOperations operations, ClaimsPrincipal user) =>
            ApiResults.From(await operations.ChangeCdromAsync(id, request.IsoPath, user)))
            .RequireAuthorization(Policies.SignedIn);

        return api;
    }

    /// <summary>A refused chunk still says where the upload stands, so that a client can resume.</summary>
    private static IResult Problem(OperationResult result, UploadChunkResponse? response) =>
        response is null
            ? ApiResults.From(result)
            : Results.Problem(
                detail: result.Message,
                statusCode: result.Status == OperationStatus.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status503ServiceUnavailable,
                title: "The chunk was not stored",
                extensions: new Dictionary<string, object?> { ["receivedBytes"] = response.ReceivedBytes, ["taskId"] = response.TaskId });
}
