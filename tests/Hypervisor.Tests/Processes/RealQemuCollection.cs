namespace WebVirt.Hypervisor.Tests.Processes;

/// <summary>
/// Tests that boot real guests run one class at a time: the machines have two cores, and TCG guests
/// racing each other only make every boot slower.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealQemuCollection
{
    public const string Name = "Real QEMU";
}
