using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using WebVirt.Shared.Tunnels;
using WebVirt.Web.Permissions;

namespace WebVirt.Web.Consoles;

/// <summary>
/// Issues and redeems console tickets. A ticket is 256 random bits, valid for <see cref="Lifetime"/>, spent by
/// its first use whatever the outcome, and bound to the user, the VM and the console kind it was issued for.
/// Callers check VM.Console before issuing; the console endpoint checks it again at the upgrade.
/// </summary>
internal sealed class ConsoleTickets(PermissionService permissions, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, ConsoleTicket> _tickets = new(StringComparer.Ordinal);

    /// <summary>A ticket for a signed-in user holding VM.Console on the VM; null for anyone else.</summary>
    public async Task<ConsoleTicket?> IssueAsync(ClaimsPrincipal user, Guid vmId, TunnelKind kind, CancellationToken cancellationToken = default)
    {
        if (user.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId
            || kind is not (TunnelKind.Vnc or TunnelKind.Serial)
            || !await permissions.HasOnVmAsync(user, vmId, Privileges.VmConsole, cancellationToken))
        {
            return null;
        }

        var now = time.GetUtcNow();
        foreach (var stale in _tickets.Values.Where(t => t.ExpiresAt < now))
        {
            _tickets.TryRemove(stale.Value, out _);
        }

        var ticket = new ConsoleTicket(Base64UrlToken(), userId, vmId, kind, now + Lifetime);
        _tickets[ticket.Value] = ticket;
        return ticket;
    }

    /// <summary>Spends the ticket; null when it is good for this user, VM and kind, else the reason it is refused.</summary>
    public string? Redeem(string? value, string userId, Guid vmId, TunnelKind kind)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "A console ticket is required.";
        }

        if (!_tickets.TryRemove(value, out var ticket))
        {
            return "Unknown or already used console ticket.";
        }

        if (time.GetUtcNow() > ticket.ExpiresAt)
        {
            return "The console ticket expired.";
        }

        if (ticket.UserId != userId)
        {
            return "The console ticket was issued to another user.";
        }

        return ticket.VmId != vmId || ticket.Kind != kind ? "The console ticket is for another console." : null;
    }

    private static string Base64UrlToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
