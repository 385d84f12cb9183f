namespace WebVirt.Host.Agent.Storage;

/// <summary>A folder of the agent's or the panel's own state that no pool may be, lie in or contain.</summary>
/// <param name="Path">The folder as configured (it need not exist yet).</param>
/// <param name="What">What it holds, for the refusal message.</param>
internal sealed record ProtectedFolder(string Path, string What);
