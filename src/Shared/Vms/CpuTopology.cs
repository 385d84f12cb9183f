namespace WebVirt.Shared.Vms;

/// <summary>vCPU layout; the vCPU count is Sockets × Cores × Threads.</summary>
public sealed record CpuTopology
{
    public int Sockets { get; init; } = 1;
    public int Cores { get; init; } = 1;
    public int Threads { get; init; } = 1;

    /// <summary>A named QEMU CPU model; null picks <c>host</c> under KVM and <c>max</c> under TCG.</summary>
    public string? Model { get; init; }

    public int VcpuCount => Sockets * Cores * Threads;
}
