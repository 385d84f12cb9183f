using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Agents;
using WebVirt.Web.Auth;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;

namespace WebVirt.Web.Api;

internal static class HostEndpoints
{
    public static RouteGroupBuilder MapHostEndpoints(this RouteGroupBuilder api)
    {
        var hosts = api.MapGroup("/hosts").RequireAuthorization(Policies.SignedIn);

        // Hosts the user holds Sys.Audit on (on the host, or on / with propagation).
        hosts.MapGet("/", async (IDbContextFactory<WebVirtDbContext> contexts, PermissionService permissions, System.Security.Claims.ClaimsPrincipal user) =>
        {
            await using var db = await contexts.CreateDbContextAsync();
            var records = await db.Hosts.AsNoTracking().OrderBy(h => h.Name).ToListAsync();
            var visible = new List<HostRecord>();
            foreach (var record in records)
            {
                if (await permissions.HasAsync(user, AclPaths.Host(record.Id), Privileges.SysAudit))
                {
                    visible.Add(record);
                }
            }

            return Results.Ok(visible.Select(ToResponse));
        });

        // Creates a host and its agent token; the token is shown once, only its hash is kept.
        hosts.MapPost("/", async (CreateHostRequest request, HostRegistration registration, System.Security.Claims.ClaimsPrincipal user) =>
        {
            var (result, hostId, token) = await registration.CreateAsync(user, request.Name);
            return result.Status == Vms.OperationStatus.Done
                ? Results.Created($"/api/v1/hosts/{hostId}", new CreateHostResponse(hostId, request.Name!, token!))
                : ApiResults.From(result);
        });

        // Revokes the host's token and cuts its agent off at once.
        hosts.MapPost("/{id:guid}/revoke", async (Guid id, HostRegistration registration, System.Security.Claims.ClaimsPrincipal user) =>
            ApiResults.From(await registration.RevokeAsync(user, id)));

        return api;
    }

    private static HostResponse ToResponse(HostRecord host) => new()
    {
        Id = host.Id,
        Name = host.Name,
        Connected = host.Connected,
        Revoked = host.RevokedAt is not null,
        IsLocal = host.IsLocal,
        // Connected: heard within SignalR's client timeout, so now; offline: when contact ended.
        LastSeenAt = host.Connected ? DateTimeOffset.UtcNow : host.LastSeenAt,
        Hostname = host.Hostname,
        CpuModel = host.CpuModel,
        CpuThreads = host.CpuThreads,
        MemoryBytes = host.MemoryBytes,
        Accelerator = host.Accelerator,
        AcceleratorReason = host.AcceleratorReason,
        QemuVersion = host.QemuVersion,
        AgentVersion = host.AgentVersion,
        StorageTotalBytes = host.StorageTotalBytes,
        StorageFreeBytes = host.StorageFreeBytes,
        IsolationGaps = HostRecordMapper.IsolationGapsOf(host),
    };
}
