using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Inventory;
using WebVirt.Web.Operations;
using WebVirt.Web.Permissions;
using WebVirt.Web.Tasks;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Agents;

/// <summary>Adding a host (with its agent token, shown once) and revoking one; shared by the API and the Hosts admin page.</summary>
internal sealed partial class HostRegistration(
    IDbContextFactory<WebVirtDbContext> contexts,
    AgentRegistry registry,
    TaskLog tasks,
    PermissionService permissions,
    InventoryNotifier notifier,
    WebVirt.Web.Consoles.ConsoleSessions consoles)
{
    public const string NameRule = "1-63 letters, digits, '.' or '-', starting with a letter or digit";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9.-]{0,62}\\z")]
    private static partial Regex HostNamePattern();

    /// <summary>Creates a host and its agent token; the token is in the result this once, only its hash is kept.</summary>
    public async Task<(OperationResult Result, Guid HostId, string? Token)> CreateAsync(ClaimsPrincipal user, string? name)
    {
        if (!await permissions.HasAsync(user, AclPaths.Root, Privileges.SysModify))
        {
            return (new OperationResult(OperationStatus.Forbidden, $"Adding a host needs {Privileges.SysModify} on /."), Guid.Empty, null);
        }

        if (name is null || !HostNamePattern().IsMatch(name))
        {
            return (new OperationResult(OperationStatus.Invalid, $"name: {NameRule}"), Guid.Empty, null);
        }

        await using var db = await contexts.CreateDbContextAsync();
        if (await db.Hosts.AnyAsync(h => h.Name == name))
        {
            return (new OperationResult(OperationStatus.Invalid, $"name: a host named '{name}' already exists"), Guid.Empty, null);
        }

        var token = HostTokens.Generate();
        var host = new HostRecord { Id = Guid.NewGuid(), Name = name, TokenHash = HostTokens.Hash(token), TokenCreatedAt = DateTimeOffset.UtcNow };
        var task = await tasks.StartAsync("host.create", "host", host.Id.ToString(), host.Name, Actor.NameOf(user), null);
        db.Hosts.Add(host);
        await db.SaveChangesAsync();
        await tasks.CompleteAsync(task.Id);
        notifier.NotifyHostChanged(host.Id);
        return (OperationResult.Done($"Host '{name}' added: start its agent with the token.", task.Id), host.Id, token);
    }

    /// <summary>Revokes the host's token and cuts its agent off at once.</summary>
    public async Task<OperationResult> RevokeAsync(ClaimsPrincipal user, Guid id)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var host = await db.Hosts.SingleOrDefaultAsync(h => h.Id == id);
        if (host is null || !await permissions.HasAsync(user, AclPaths.Host(id), Privileges.SysAudit))
        {
            return new OperationResult(OperationStatus.NotFound, $"No host with id {id}.");
        }

        if (!await permissions.HasAsync(user, AclPaths.Host(id), Privileges.SysModify))
        {
            return new OperationResult(OperationStatus.Forbidden, $"Revoking host '{host.Name}' needs {Privileges.SysModify}.");
        }

        // The local host's agent runs inside the panel with a token made at every start: a revocation could not outlast
        // a restart, so it is refused rather than pretended. The panel's own setting turns that agent off.
        if (host.IsLocal)
        {
            return new OperationResult(OperationStatus.Invalid,
                $"'{host.Name}' is this panel's own host: its agent runs inside the panel with a token made at each start, so it cannot be revoked. To stop managing this machine, set Agent:Embedded to false and restart the panel.");
        }

        var task = await tasks.StartAsync("host.revoke", "host", host.Id.ToString(), host.Name, Actor.NameOf(user), null);
        host.RevokedAt = DateTimeOffset.UtcNow;
        host.Connected = false;
        await db.SaveChangesAsync();
        registry.Disconnect(id);

        // The consoles its agent relays would otherwise keep flowing through tunnels it dialed before.
        consoles.DisconnectHost(id, "the host was revoked");
        await tasks.CompleteAsync(task.Id);
        notifier.NotifyHostChanged(id);
        return OperationResult.Done($"Host '{host.Name}' revoked; its agent was disconnected.", task.Id);
    }
}
