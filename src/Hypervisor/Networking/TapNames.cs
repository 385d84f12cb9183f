using System.Globalization;

namespace WebVirt.Hypervisor.Networking;

/// <summary>
/// The tap name of a VM's NIC: "wv", the first 8 hex digits of the VM's uuid, "n", the NIC's index (0–9999), at
/// most 15 characters (e.g. <c>wv1f2e3d4cn0</c>). The same VM and NIC always get the same name, so an agent that
/// restarts finds its taps again. Two VMs whose uuids share the first 8 hex digits (about 1 in 4·10⁹ per pair)
/// would collide: <see cref="TapManager.CreateTapAsync"/> then refuses a tap owned by another uid rather than share it.
/// </summary>
public static class TapNames
{
    public const string Prefix = "wv";
    public const int MaxNicIndex = 9999;

    public static string For(Guid vmId, int nicIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nicIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nicIndex, MaxNicIndex);
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}{vmId.ToString("N")[..8]}n{nicIndex}");
    }
}
