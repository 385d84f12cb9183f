namespace WebVirt.Shared.Agents;

/// <summary>
/// The panel's answer to <see cref="AgentHello"/>. When not accepted, <see cref="Message"/> says why
/// (for example which protocol versions each side speaks) and the panel closes the connection.
/// </summary>
public sealed record AgentWelcome(bool Accepted, string Message, Guid HostId);
