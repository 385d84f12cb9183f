namespace WebVirt.Shared.Vms;

public sealed record CdromDefinition
{
    /// <summary>Absolute path of the ISO on the host; null = empty drive.</summary>
    public string? IsoPath { get; init; }

    public int? BootOrder { get; init; }
}
