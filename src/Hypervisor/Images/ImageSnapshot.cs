namespace WebVirt.Hypervisor.Images;

/// <summary>An internal snapshot stored inside a qcow2 image.</summary>
public sealed record ImageSnapshot
{
    public required string Id { get; init; }
    public required string Name { get; init; }

    /// <summary>Bytes of saved VM state (RAM, devices); 0 for a disk-only snapshot.</summary>
    public long VmStateSize { get; init; }

    public DateTimeOffset Date { get; init; }

    /// <summary>Guest clock when the snapshot was taken.</summary>
    public TimeSpan VmClock { get; init; }
}
