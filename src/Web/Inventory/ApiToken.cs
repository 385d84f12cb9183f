namespace WebVirt.Web.Inventory;

/// <summary>A user's token for the REST API; only its SHA-256 is stored (<see cref="ApiTokens"/>).</summary>
public sealed class ApiToken
{
    public Guid Id { get; set; }

    /// <summary>The owning <see cref="WebVirtUser"/>; deleting the user deletes the token.</summary>
    public required string UserId { get; set; }

    /// <summary>Unique per user.</summary>
    public required string Name { get; set; }

    /// <summary>Lower-case hex SHA-256 of the token.</summary>
    public required string TokenHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
}
