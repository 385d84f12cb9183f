using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace WebVirt.Hypervisor.Networking;

/// <summary>
/// Finds out whether the kernel can do bridge VLAN filtering and 802.1Q devices by trying, on throwaway interfaces:
/// in a scratch network namespace made for the probe when the runner works on the host (so the host's own
/// interfaces are never touched), or in the runner's namespace when it has one (tests). Everything it makes is
/// removed again. The agent probes once at start and reports the result with the host's facts.
/// </summary>
public sealed class VlanSupport(IpCommand ip)
{
    private const string BridgeFeature = "bridge VLAN filtering";
    private const string DeviceFeature = "802.1Q VLAN devices";

    public async Task<VlanSupportReport> ProbeAsync(CancellationToken cancellationToken = default)
    {
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        if (ip.NetworkNamespace is not null)
        {
            return await ProbeInAsync(ip, suffix, cancellationToken).ConfigureAwait(false);
        }

        var scratch = $"wvprobe-{suffix}";
        try
        {
            await ip.RunNamespaceCommandAsync($"make the scratch namespace {scratch} for the VLAN probe", ["add", scratch], cancellationToken)
                .ConfigureAwait(false);
        }
        catch (NetworkCommandException ex)
        {
            var reason = $"could not be probed (no scratch network namespace: {ex.Message})";
            return new VlanSupportReport(false, $"{BridgeFeature}: {reason}", false, $"{DeviceFeature}: {reason}");
        }

        try
        {
            return await ProbeInAsync(ip.InNamespace(scratch), suffix, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Deleting the namespace deletes every interface made in it.
            var deleted = await ip.TryRunNamespaceCommandAsync($"delete the scratch namespace {scratch}", ["delete", scratch], CancellationToken.None)
                .ConfigureAwait(false);
            if (!deleted.Succeeded)
            {
                NetworkLog.CleanupFailed(ip.Logger, "the VLAN probe", deleted.Error.Trim());
            }

        }
    }

    private static async Task<VlanSupportReport> ProbeInAsync(IpCommand runner, string suffix, CancellationToken cancellationToken)
    {
        var bridge = $"wvpb{suffix}";
        var parent = $"wvpv{suffix}";
        var peer = $"wvpp{suffix}";
        try
        {
            var filtering = await runner.TryRunAsync("try a VLAN-filtering bridge", IpTool.Ip,
                ["link", "add", "name", bridge, "type", "bridge", "vlan_filtering", "1"], cancellationToken).ConfigureAwait(false);
            var (bridgeOk, bridgeReason) = Judge(BridgeFeature, filtering);

            var (deviceOk, deviceReason) = (false, "");
            var veth = await runner.TryRunAsync("make a veth pair to try 802.1Q on", IpTool.Ip,
                ["link", "add", "name", parent, "type", "veth", "peer", "name", peer], cancellationToken).ConfigureAwait(false);
            if (!veth.Succeeded)
            {
                deviceReason = $"{DeviceFeature}: could not be probed (a veth pair to try it on failed: {Message(veth)})";
            }
            else
            {
                var vlan = await runner.TryRunAsync("try an 802.1Q device", IpTool.Ip,
                    ["link", "add", "link", parent, "name", $"{parent}.5", "type", "vlan", "id", "5"], cancellationToken).ConfigureAwait(false);
                (deviceOk, deviceReason) = Judge(DeviceFeature, vlan);
            }

            var report = new VlanSupportReport(bridgeOk, bridgeReason, deviceOk, deviceReason);
            NetworkLog.VlanProbed(runner.Logger, bridgeOk, deviceOk, $"{bridgeReason}; {deviceReason}");
            return report;
        }
        finally
        {
            // In a scratch namespace this is redundant; in a test's namespace it leaves the namespace as it was.
            foreach (var name in new[] { bridge, parent })
            {
                var removed = await runner.TryRunAsync($"remove the probe's {name}", IpTool.Ip, ["link", "delete", "dev", name], CancellationToken.None)
                    .ConfigureAwait(false);
                if (!removed.Succeeded && !removed.DeviceMissing)
                {
                    NetworkLog.CleanupFailed(runner.Logger, "the VLAN probe", removed.Error.Trim());
                }
            }
        }
    }

    private static (bool Supported, string Reason) Judge(string feature, IpResult result)
    {
        if (result.Succeeded)
        {
            return (true, $"{feature}: supported");
        }

        var message = Message(result);
        var unsupported = message.Contains("not supported", StringComparison.OrdinalIgnoreCase)
            || message.Contains("Unknown device type", StringComparison.OrdinalIgnoreCase);
        return (false, unsupported ? $"{feature}: not supported by this kernel ({message})" : $"{feature}: could not be probed ({message})");
    }

    /// <summary>ip's message without its decoration: "RTNETLINK answers: Operation not supported" → "Operation not supported".</summary>
    private static string Message(IpResult result)
    {
        var text = result.Error.Trim();
        foreach (var prefix in new[] { "RTNETLINK answers: ", "Error: " })
        {
            if (text.StartsWith(prefix, StringComparison.Ordinal))
            {
                text = text[prefix.Length..];
            }
        }

        text = text.TrimEnd('.');
        return text.Length > 0 ? text : $"exit code {result.ExitCode}, no message";
    }
}
