using System.Globalization;
using Microsoft.Extensions.Logging;

namespace WebVirt.Hypervisor.Networking;

/// <summary>
/// Makes the persistent tap devices QEMU's NICs use (<c>-netdev tap,ifname=…,script=no,downscript=no</c>): owned
/// by QEMU's uid, so QEMU opens them without privilege, enslaved to the network's bridge. Each carries
/// <see cref="NetworkMarker.ManagedAlias"/>, which is how <see cref="ListManagedTapsAsync"/> finds the ones a crashed
/// agent left behind; only those are ever deleted.
/// </summary>
public sealed class TapManager(IpCommand ip)
{
    private readonly ILogger logger = ip.Logger;

    /// <summary>Creates the tap (or takes back the WebVirt tap of that name owned by the same uid) and enslaves it, up.</summary>
    /// <param name="multiQueue">
    /// For a NIC with QEMU <c>queues=N</c>: the kernel refuses to open a persistent tap with a different multi-queue
    /// flag than it was made with (EINVAL), so an existing tap must match too.
    /// </param>
    public async Task<TapDescription> CreateTapAsync(
        string name, uint ownerUid, string bridge, int mtu, bool multiQueue = false, CancellationToken cancellationToken = default)
    {
        NetworkArguments.InterfaceName(name, "Tap name");
        NetworkArguments.InterfaceName(bridge, "Bridge name");
        NetworkArguments.Mtu(mtu, "Tap MTU");
        if (ownerUid == uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(ownerUid), "uid 4294967295 means 'no owner' to the kernel");
        }

        var master = await LinkQuery.FindAsync(ip, bridge, cancellationToken).ConfigureAwait(false);
        if (master?.Kind != "bridge")
        {
            throw new NetworkCommandException(master is null
                ? $"Cannot attach tap {name}: bridge {bridge} does not exist"
                : $"Cannot attach tap {name}: {bridge} is not a bridge (it is '{master.Kind}')");
        }

        var existing = await LinkQuery.FindAsync(ip, name, cancellationToken).ConfigureAwait(false);
        var created = false;
        if (existing is null)
        {
            var uid = ownerUid.ToString(CultureInfo.InvariantCulture);
            string[] arguments = ["tuntap", "add", "dev", name, "mode", "tap", "user", uid, .. multiQueue ? new[] { "multi_queue" } : []];
            var add = await ip.TryRunAsync($"create tap {name}", IpTool.Ip, arguments, cancellationToken).ConfigureAwait(false);
            existing = await LinkQuery.FindAsync(ip, name, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                throw ip.Fail($"create tap {name}", IpTool.Ip, arguments, add);
            }

            created = add.Succeeded;
            if (created)
            {
                // Marked before anything else can fail, so a leak is always found by ListManagedTapsAsync.
                await ip.RunAsync($"mark tap {name}", IpTool.Ip, ["link", "set", "dev", name, "alias", NetworkMarker.ManagedAlias], cancellationToken)
                    .ConfigureAwait(false);
                existing = existing with { Alias = NetworkMarker.ManagedAlias };
            }
        }

        if (existing.Kind != "tun" || existing.TunType != "tap" || !existing.Managed || existing.TunOwner != ownerUid || existing.TunMultiQueue != multiQueue)
        {
            throw new NetworkCommandException(
                $"Cannot create tap {name}: an interface of that name exists and is not a WebVirt {(multiQueue ? "multi-queue" : "single-queue")} tap owned by uid {ownerUid} " +
                $"(kind '{existing.Kind}', owner {existing.TunOwner?.ToString(CultureInfo.InvariantCulture) ?? "none"}, " +
                $"{(existing.TunMultiQueue ? "multi-queue" : "single-queue")}, {(existing.Managed ? "managed" : "not managed")})");
        }

        string[] attach = ["link", "set", "dev", name, "master", bridge, "mtu", mtu.ToString(CultureInfo.InvariantCulture), "up"];
        var result = await ip.TryRunAsync($"attach tap {name} to {bridge}", IpTool.Ip, attach, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            var failure = ip.Fail($"attach tap {name} to {bridge}", IpTool.Ip, attach, result);
            if (created)
            {
                await DeleteQuietlyAsync(name, cancellationToken).ConfigureAwait(false);
            }

            throw failure;
        }

        if (created)
        {
            NetworkLog.TapCreated(logger, name, ownerUid, bridge);
        }

        return await FindTapAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw new NetworkCommandException($"Tap {name} vanished right after it was set up");
    }

    /// <summary>The tap of that name, or null when there is no tap device of that name.</summary>
    public async Task<TapDescription?> FindTapAsync(string name, CancellationToken cancellationToken = default)
    {
        NetworkArguments.InterfaceName(name, "Tap name");
        var link = await LinkQuery.FindAsync(ip, name, cancellationToken).ConfigureAwait(false);
        return link is { Kind: "tun", TunType: "tap" } ? Describe(link) : null;
    }

    /// <summary>Sets the tap administratively up or down (a down tap drops the guest's traffic; the guest sees its link stay up).</summary>
    public async Task SetLinkAsync(string name, bool up, CancellationToken cancellationToken = default)
    {
        NetworkArguments.InterfaceName(name, "Tap name");
        await ip.RunAsync($"set tap {name} {(up ? "up" : "down")}", IpTool.Ip, ["link", "set", "dev", name, up ? "up" : "down"], cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Deletes a WebVirt tap; false when there is none. Refuses an interface WebVirt did not make.</summary>
    public async Task<bool> DeleteTapAsync(string name, CancellationToken cancellationToken = default)
    {
        NetworkArguments.InterfaceName(name, "Tap name");
        var link = await LinkQuery.FindAsync(ip, name, cancellationToken).ConfigureAwait(false);
        if (link is null)
        {
            return false;
        }

        if (link.Kind != "tun" || !link.Managed)
        {
            throw new NetworkCommandException($"{name} is not a tap WebVirt created (kind '{link.Kind}', ifalias '{link.Alias}'): it is never deleted");
        }

        string[] arguments = ["link", "delete", "dev", name];
        var result = await ip.TryRunAsync($"delete tap {name}", IpTool.Ip, arguments, cancellationToken).ConfigureAwait(false);
        if (result.DeviceMissing)
        {
            return false;
        }

        if (!result.Succeeded)
        {
            throw ip.Fail($"delete tap {name}", IpTool.Ip, arguments, result);
        }

        NetworkLog.TapDeleted(logger, name);
        return true;
    }

    /// <summary>Every tap WebVirt created on this host, sorted by name: after a crash the agent deletes those no running VM uses.</summary>
    public async Task<IReadOnlyList<TapDescription>> ListManagedTapsAsync(CancellationToken cancellationToken = default)
    {
        var links = await LinkQuery.ListAsync(ip, "tun", cancellationToken).ConfigureAwait(false);
        return [.. links.Where(link => link is { TunType: "tap", Managed: true }).Select(Describe).OrderBy(tap => tap.Name, StringComparer.Ordinal)];
    }

    private async Task DeleteQuietlyAsync(string name, CancellationToken cancellationToken)
    {
        var result = await ip.TryRunAsync($"remove the half-made tap {name}", IpTool.Ip, ["link", "delete", "dev", name], cancellationToken)
            .ConfigureAwait(false);
        if (!result.Succeeded && !result.DeviceMissing)
        {
            NetworkLog.CleanupFailed(logger, $"creating tap {name}", result.Error.Trim());
        }
    }

    private static TapDescription Describe(LinkDetails link) => new()
    {
        Name = link.Name,
        OwnerUid = link.TunOwner,
        Bridge = link.Master,
        Mtu = link.Mtu,
        MultiQueue = link.TunMultiQueue,
        Up = link.Up,
        OperState = link.OperState,
        Managed = link.Managed,
    };
}
