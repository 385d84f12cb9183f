using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using WebVirt.Hypervisor.Networking;

namespace WebVirt.Hypervisor.Tests.Networking;

/// <summary>
/// A network namespace of a test's own (<c>wvt-</c> + random hex) and a runner bound to it, so that nothing a test
/// makes reaches the machine's network; deleting it deletes everything made in it.
/// </summary>
internal sealed class TestNetworkNamespace : IAsyncDisposable
{
    private TestNetworkNamespace(string name, IpCommand ip)
    {
        Name = name;
        Ip = ip;
    }

    public string Name { get; }

    /// <summary>Bound to <see cref="Name"/>; its invocation count starts after the namespace was made.</summary>
    public IpCommand Ip { get; }

    public static async Task<TestNetworkNamespace> CreateAsync()
    {
        var name = $"wvt-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5))}";
        var host = new IpCommand(null, NullLogger.Instance);
        try
        {
            await host.RunNamespaceCommandAsync($"make the test namespace {name}", ["add", name], CancellationToken.None);
        }
        catch (NetworkCommandException ex)
        {
            throw new InvalidOperationException(
                $"The networking tests need root (CAP_SYS_ADMIN and CAP_NET_ADMIN to make a network namespace) and iproute2 (Debian package iproute2): {ex.Message}", ex);
        }

        return new TestNetworkNamespace(name, new IpCommand(name, NullLogger.Instance));
    }

    /// <summary>Runs ip in the namespace directly (the test's own set-up and checks), not counted by <see cref="Ip"/>.</summary>
    public async Task<string> IpAsync(params string[] arguments)
    {
        var result = await new IpCommand(Name, NullLogger.Instance).RunAsync("test step", IpTool.Ip, arguments, CancellationToken.None);
        return result.Output;
    }

    /// <summary>Runs ip in the namespace and returns how it ended, failure included.</summary>
    public Task<IpResult> TryIpAsync(params string[] arguments) =>
        new IpCommand(Name, NullLogger.Instance).TryRunAsync("test step", IpTool.Ip, arguments, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await new IpCommand(null, NullLogger.Instance).RunNamespaceCommandAsync($"delete the test namespace {Name}", ["delete", Name], CancellationToken.None);
    }
}
