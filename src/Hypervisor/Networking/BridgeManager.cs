using System.Globalization;
using Microsoft.Extensions.Logging;

namespace WebVirt.Hypervisor.Networking;

/// <summary>
/// Makes and removes the Linux bridges networks hang off. A bridge WebVirt creates carries
/// <see cref="NetworkMarker.ManagedAlias"/> as its ifalias and is kept as asked (MTU, up, VLAN filtering); a bridge
/// that already existed is adopted as it is and never changed or deleted.
/// </summary>
public sealed class BridgeManager(IpCommand ip)
{
    private readonly ILogger logger = ip.Logger;

    /// <summary>Creates the bridge unless it exists; refuses a non-bridge interface of that name.</summary>
    /// <param name="vlanAware">Create it with vlan_filtering on; fails where the kernel has none (see <see cref="VlanSupport"/>).</param>
    public async Task<BridgeEnsured> EnsureBridgeAsync(string name, int mtu, bool vlanAware, CancellationToken cancellationToken = default)
    {
        NetworkArguments.InterfaceName(name, "Bridge name");
        NetworkArguments.Mtu(mtu, "Bridge MTU");

        var existing = await LinkQuery.FindAsync(ip, name, cancellationToken).ConfigureAwait(false);
        var created = false;
        if (existing is null)
        {
            created = await CreateAsync(name, mtu, vlanAware, cancellationToken).ConfigureAwait(false);
            existing = await LinkQuery.FindAsync(ip, name, cancellationToken).ConfigureAwait(false)
                ?? throw new NetworkCommandException($"Bridge {name} vanished right after it was created");
        }

        if (existing.Kind != "bridge")
        {
            throw NotABridge(existing);
        }

        if (created)
        {
            NetworkLog.BridgeCreated(logger, name, mtu, vlanAware);
        }
        else if (existing.Managed)
        {
            await ConvergeAsync(existing, mtu, vlanAware, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            NetworkLog.BridgeAdopted(logger, name);
        }

        return new BridgeEnsured(created, await DescribeAsync(name, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>What the host has under <paramref name="name"/>; <see cref="BridgeDescription.Exists"/> is false when nothing.</summary>
    public async Task<BridgeDescription> DescribeAsync(string name, CancellationToken cancellationToken = default)
    {
        NetworkArguments.InterfaceName(name, "Bridge name");
        var link = await LinkQuery.FindAsync(ip, name, cancellationToken).ConfigureAwait(false);
        if (link is null)
        {
            return new BridgeDescription { Name = name, Exists = false };
        }

        return new BridgeDescription
        {
            Name = name,
            Exists = true,
            Kind = link.Kind,
            Mtu = link.Mtu,
            Up = link.Up,
            OperState = link.OperState,
            Managed = link.Managed,
            VlanFiltering = link.VlanFiltering,
            Addresses = await LinkQuery.AddressesAsync(ip, name, cancellationToken).ConfigureAwait(false),
            Ports = link.Kind == "bridge" ? await LinkQuery.PortsAsync(ip, name, cancellationToken).ConfigureAwait(false) : [],
        };
    }

    /// <summary>Deletes a bridge WebVirt created; false when there is none. Refuses anything else: its ports are released by the kernel.</summary>
    public async Task<bool> DeleteBridgeAsync(string name, CancellationToken cancellationToken = default)
    {
        NetworkArguments.InterfaceName(name, "Bridge name");
        var link = await LinkQuery.FindAsync(ip, name, cancellationToken).ConfigureAwait(false);
        if (link is null)
        {
            return false;
        }

        if (link.Kind != "bridge")
        {
            throw NotABridge(link);
        }

        if (!link.Managed)
        {
            throw new NetworkCommandException(
                $"Bridge {name} was not created by WebVirt (its ifalias is not '{NetworkMarker.ManagedAlias}'): an adopted bridge is never deleted");
        }

        var purpose = $"delete bridge {name}";
        string[] arguments = ["link", "delete", "dev", name];
        var result = await ip.TryRunAsync(purpose, IpTool.Ip, arguments, cancellationToken).ConfigureAwait(false);
        if (result.DeviceMissing)
        {
            return false;
        }

        if (!result.Succeeded)
        {
            throw ip.Fail(purpose, IpTool.Ip, arguments, result);
        }

        NetworkLog.BridgeDeleted(logger, name);
        return true;
    }

    /// <summary>True when this call made the bridge; false when another made it first (then it is judged like any existing one).</summary>
    private async Task<bool> CreateAsync(string name, int mtu, bool vlanAware, CancellationToken cancellationToken)
    {
        var purpose = $"create bridge {name}";
        string[] add = ["link", "add", "name", name, "type", "bridge", .. vlanAware ? new[] { "vlan_filtering", "1" } : []];
        var result = await ip.TryRunAsync(purpose, IpTool.Ip, add, cancellationToken).ConfigureAwait(false);
        if (result.Error.Contains("File exists", StringComparison.Ordinal))
        {
            return false;
        }

        if (!result.Succeeded)
        {
            var failure = ip.Fail(purpose, IpTool.Ip, add, result);
            throw vlanAware && result.Error.Contains("not supported", StringComparison.OrdinalIgnoreCase)
                ? new NetworkCommandException($"{failure.Message} (this kernel has no bridge VLAN filtering: use per-VLAN bridges)", failure)
                : failure;
        }

        // ip link add ignores "alias" (checked with iproute2 6.1), so the marker is set right after; a crash between
        // the two leaves an unmarked bridge, which is then adopted and never deleted: the safe way round.
        string[] set = ["link", "set", "dev", name, "alias", NetworkMarker.ManagedAlias, "mtu", Text(mtu), "up"];
        var setUp = await ip.TryRunAsync($"set up bridge {name}", IpTool.Ip, set, cancellationToken).ConfigureAwait(false);
        if (!setUp.Succeeded)
        {
            var failure = ip.Fail($"set up bridge {name}", IpTool.Ip, set, setUp);
            await TryRemoveAsync(name, cancellationToken).ConfigureAwait(false);
            throw failure;
        }

        return true;
    }

    private async Task ConvergeAsync(LinkDetails bridge, int mtu, bool vlanAware, CancellationToken cancellationToken)
    {
        if (bridge.VlanFiltering != vlanAware)
        {
            await ip.RunAsync($"set VLAN filtering on bridge {bridge.Name}", IpTool.Ip,
                ["link", "set", "dev", bridge.Name, "type", "bridge", "vlan_filtering", vlanAware ? "1" : "0"], cancellationToken).ConfigureAwait(false);
        }

        if (bridge.Mtu != mtu || !bridge.Up)
        {
            await ip.RunAsync($"set up bridge {bridge.Name}", IpTool.Ip,
                ["link", "set", "dev", bridge.Name, "mtu", Text(mtu), "up"], cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task TryRemoveAsync(string name, CancellationToken cancellationToken)
    {
        var result = await ip.TryRunAsync($"remove the half-made bridge {name}", IpTool.Ip, ["link", "delete", "dev", name], cancellationToken)
            .ConfigureAwait(false);
        if (!result.Succeeded && !result.DeviceMissing)
        {
            NetworkLog.CleanupFailed(logger, $"creating bridge {name}", result.Error.Trim());
        }
    }

    private static NetworkCommandException NotABridge(LinkDetails link) =>
        new($"{link.Name} exists and is not a bridge (it is {(link.Kind.Length > 0 ? $"a '{link.Kind}' interface" : "a physical or kind-less interface")}): WebVirt will not use or change it");

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
