using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Agents;
using WebVirt.Web.Auth;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;

namespace WebVirt.Web.Api;

internal static partial class HostEndpoints
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9.-]{0,62}\\z")]
    private static partial Regex HostNamePattern();

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
        hosts.MapPost("/", async (CreateHostRequest request, IDbContextFactory<WebVirtDbContext> contexts, Tasks.TaskLog tasks, PermissionService permissions, System.Security.Claims.ClaimsPrincipal user) =>
        {
            if (!await permissions.HasAsync(user, AclPaths.Root, Privileges.SysModify))
            {
                return Forbidden($"Adding a host needs {Privileges.SysModify} on /.");
            }

            if (request.Name is null || !HostNamePattern().IsMatch(request.Name))
            {
                return Results.Problem(detail: "name: 1-63 letters, digits, '.' or '-', starting with a letter or digit", statusCode: 400, title: "Invalid request");
            }

            await using var db = await contexts.CreateDbContextAsync();
            if (await db.Hosts.AnyAsync(h => h.Name == request.Name))
            {
                return Results.Problem(detail: $"name: a host named '{request.Name}' already exists", statusCode: 400, title: "Invalid request");
            }

            var token = HostTokens.Generate();
            var host = new HostRecord { Id = Guid.NewGuid(), Name = request.Name, TokenHash = HostTokens.Hash(token), TokenCreatedAt = DateTimeOffset.UtcNow };
            var task = await tasks.StartAsync("host.create", "host", host.Id.ToString(), host.Name, VmEndpoints.UserName(user), null);
            db.Hosts.Add(host);
            await db.SaveChangesAsync();
            await tasks.CompleteAsync(task.Id);
            return Results.Created($"/api/v1/hosts/{host.Id}", new CreateHostResponse(host.Id, host.Name, token));
        });

        // Revokes the host's token and cuts its agent off at once.
        hosts.MapPost("/{id:guid}/revoke", async (Guid id, IDbContextFactory<WebVirtDbContext> contexts, AgentRegistry registry, Tasks.TaskLog tasks, PermissionService permissions, System.Security.Claims.ClaimsPrincipal user) =>
        {
            await using var db = await contexts.CreateDbContextAsync();
            var host = await db.Hosts.SingleOrDefaultAsync(h => h.Id == id);
            if (host is null || !await permissions.HasAsync(user, AclPaths.Host(id), Privileges.SysAudit))
            {
                return Results.Problem(detail: $"No host with id {id}.", statusCode: 404, title: "Not found");
            }

            if (!await permissions.HasAsync(user, AclPaths.Host(id), Privileges.SysModify))
            {
                return Forbidden($"Revoking host '{host.Name}' needs {Privileges.SysModify}.");
            }

            var task = await tasks.StartAsync("host.revoke", "host", host.Id.ToString(), host.Name, VmEndpoints.UserName(user), null);
            host.RevokedAt = DateTimeOffset.UtcNow;
            host.Connected = false;
            await db.SaveChangesAsync();
            registry.Disconnect(id);
            await tasks.CompleteAsync(task.Id);
            return Results.Ok(new OperationResponse($"Host '{host.Name}' revoked; its agent was disconnected.", task.Id, null));
        });

        return api;
    }

    private static IResult Forbidden(string detail) => Results.Problem(detail: detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

    private static HostResponse ToResponse(HostRecord host) => new()
    {
        Id = host.Id,
        Name = host.Name,
        Connected = host.Connected,
        Revoked = host.RevokedAt is not null,
        IsLocal = host.IsLocal,
        LastSeenAt = host.LastSeenAt,
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
    };
}
