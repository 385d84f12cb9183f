namespace WebVirt.Web.Inventory;

/// <summary>
/// A link that opens a VM's VNC console without an account (<c>/share/{token}</c>) until it expires or is revoked.
/// Only the SHA-256 of its token is stored (<see cref="WebVirt.Web.Consoles.ConsoleShareLinks"/>).
/// </summary>
public sealed class ConsoleShareLink
{
    public Guid Id { get; set; }

    /// <summary>The shared VM; deleting the VM deletes its links.</summary>
    public Guid VmId { get; set; }

    /// <summary>Lower-case hex SHA-256 of the token.</summary>
    public required string TokenHash { get; set; }

    /// <summary>True: keyboard, mouse and clipboard input from the link's viewers is dropped by the panel.</summary>
    public bool ViewOnly { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
}
