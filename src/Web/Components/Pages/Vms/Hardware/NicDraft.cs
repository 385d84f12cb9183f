using WebVirt.Shared.Vms;

namespace WebVirt.Web.Components.Pages.Vms.Hardware;

/// <summary>One NIC row of the hardware form, as edited.</summary>
internal sealed class NicDraft
{
    /// <summary>Null for a NIC added in this edit.</summary>
    public string? Id { get; init; }

    public string? MacAddress { get; init; }
    public NicModel Model { get; set; } = NicModel.Virtio;
    public NicMode Mode { get; set; } = NicMode.User;
    public string? TapDevice { get; set; }
    public string? PortForwards { get; set; }
    public int? BootOrder { get; set; }
}
