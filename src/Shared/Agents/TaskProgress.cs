namespace WebVirt.Shared.Agents;

/// <summary>How far a long operation the panel started as task <paramref name="TaskId"/> has come, 0..1.</summary>
public sealed record TaskProgress(Guid TaskId, double Fraction);
