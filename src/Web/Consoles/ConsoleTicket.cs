using WebVirt.Shared.Tunnels;

namespace WebVirt.Web.Consoles;

/// <summary>A console ticket: good once, for one user, one VM and one kind of console, until it expires.</summary>
internal sealed record ConsoleTicket(string Value, string UserId, Guid VmId, TunnelKind Kind, DateTimeOffset ExpiresAt);
