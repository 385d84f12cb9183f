namespace WebVirt.Hypervisor.Networking;

/// <summary>
/// Which VLAN mode this host's kernel allows: a VLAN-aware bridge (vlan_filtering + <c>bridge vlan</c>), or
/// per-VLAN bridges fed by 802.1Q uplinks (<c>NIC.TAG</c>). Each reason says what was tried and what the kernel said.
/// </summary>
public sealed record VlanSupportReport(bool BridgeVlanFiltering, string BridgeVlanFilteringReason, bool VlanDevices, string VlanDevicesReason);
