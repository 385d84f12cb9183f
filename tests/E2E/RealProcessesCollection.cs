namespace WebVirt.E2E.Tests;

/// <summary>End-to-end classes run one at a time: each boots guests and runs a panel and an agent of its own.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealProcessesCollection
{
    public const string Name = "Real processes";
}
