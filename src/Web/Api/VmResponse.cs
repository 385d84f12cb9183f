using WebVirt.Shared.Vms;

namespace WebVirt.Web.Api;

public sealed record VmResponse
{
    public required Guid Id { get; init; }
    public required string Name { get; init; }
    public required Guid HostId { get; init; }
    public required string HostName { get; init; }
    public required VmPowerState State { get; init; }
    public required VmPowerState DesiredState { get; init; }
    public string? QemuStatus { get; init; }
    public string? StateMismatch { get; init; }
    public bool PendingDeletion { get; init; }
    public int? Pid { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public string? LastExit { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public required VmDefinition Definition { get; init; }

    /// <summary>Hardware changes made while the VM ran, applied at its next start; null when none.</summary>
    public VmDefinition? PendingDefinition { get; init; }
}
