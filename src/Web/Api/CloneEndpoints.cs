using System.Security.Claims;
using WebVirt.Web.Auth;
using WebVirt.Web.Clones;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Api;

/// <summary>POST /api/v1/vms/{id}/template and /clone; permissions (VM.Config; VM.Clone and VM.Allocate) are checked in <see cref="CloneOperations"/>.</summary>
internal static class CloneEndpoints
{
    public static RouteGroupBuilder MapCloneEndpoints(this RouteGroupBuilder api)
    {
        // Signed in is enough for the group: each operation checks its own privilege, so VM.Clone granted on a pool works.
        var vms = api.MapGroup("/vms/{id:guid}").RequireAuthorization(Policies.SignedIn);

        vms.MapPost("/template", async (Guid id, CloneOperations operations, ClaimsPrincipal user) =>
            ApiResults.From(await operations.ConvertToTemplateAsync(id, user)));

        vms.MapPost("/clone", async (Guid id, CloneVmRequest request, CloneOperations operations, ClaimsPrincipal user) =>
        {
            var result = await operations.CloneAsync(id, request, user);
            return result.Status == OperationStatus.Done
                ? Results.Created($"/api/v1/vms/{result.VmId}", new OperationResponse(result.Message, result.TaskId, result.VmId))
                : ApiResults.From(result);
        });

        return api;
    }
}
