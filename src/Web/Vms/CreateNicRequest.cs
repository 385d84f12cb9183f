using WebVirt.Shared.Vms;

namespace WebVirt.Web.Vms;

public sealed record CreateNicRequest
{
    public NicModel Model { get; init; } = NicModel.Virtio;
    public NicMode Mode { get; init; } = NicMode.User;
    public string? TapDevice { get; init; }
    public IReadOnlyList<PortForward> PortForwards { get; init; } = [];
}
