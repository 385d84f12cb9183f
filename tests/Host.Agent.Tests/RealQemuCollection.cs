namespace WebVirt.Host.Agent.Tests;

/// <summary>
/// Tests that run real QEMU go one class at a time: the machines have two cores, and TCG guests racing
/// each other only make every boot slower.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealQemuCollection
{
    public const string Name = "Real QEMU";
}
