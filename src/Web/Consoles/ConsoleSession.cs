using WebVirt.Shared.Tunnels;

namespace WebVirt.Web.Consoles;

/// <summary>One open console connection: who, which VM, since when; cancelling it disconnects the viewer.</summary>
internal sealed class ConsoleSession(Guid vmId, TunnelKind kind, string userName, DateTimeOffset startedAt) : IDisposable
{
    private readonly CancellationTokenSource _disconnect = new();

    public Guid Id { get; } = Guid.NewGuid();

    public Guid VmId => vmId;

    public TunnelKind Kind => kind;

    public string UserName => userName;

    public DateTimeOffset StartedAt => startedAt;

    /// <summary>The console share link this viewer came through, if any, so revoking the link can cut it off.</summary>
    public Guid? ShareLinkId { get; init; }

    /// <summary>Whether the bytes go through an agent's tunnel or straight to the VM's socket.</summary>
    public ConsoleRoute Route { get; init; }

    /// <summary>The host the VM runs on: revoking the host cuts its consoles off.</summary>
    public Guid HostId { get; init; }

    /// <summary>The signed-in user as they opened it (null for a share link), re-checked while it stays open.</summary>
    public System.Security.Claims.ClaimsPrincipal? User { get; init; }

    public CancellationToken Disconnected => _disconnect.Token;

    /// <summary>Why it was cut off, once <see cref="Disconnect"/> was called.</summary>
    public string? DisconnectReason { get; private set; }

    public void Disconnect(string reason = "disconnected by an administrator")
    {
        DisconnectReason ??= reason;
        _disconnect.Cancel();
    }

    public void Dispose() => _disconnect.Dispose();
}
