namespace WebVirt.Hypervisor.Networking;

/// <summary>The read-only questions the managers ask ip; names have passed <see cref="NetworkArguments"/>.</summary>
internal static class LinkQuery
{
    /// <summary>The interface, or null when there is none of that name.</summary>
    public static async Task<LinkDetails?> FindAsync(IpCommand ip, string name, CancellationToken cancellationToken)
    {
        var purpose = $"read interface {name}";
        string[] arguments = ["-json", "-details", "link", "show", "dev", name];
        var result = await ip.TryRunAsync(purpose, IpTool.Ip, arguments, cancellationToken).ConfigureAwait(false);
        if (result.DeviceMissing)
        {
            return null;
        }

        return result.Succeeded ? LinkJson.ParseLinks(result.Output).SingleOrDefault() : throw ip.Fail(purpose, IpTool.Ip, arguments, result);
    }

    /// <summary>Every interface of one kind (<c>ip link show type KIND</c>).</summary>
    public static async Task<IReadOnlyList<LinkDetails>> ListAsync(IpCommand ip, string kind, CancellationToken cancellationToken)
    {
        var result = await ip.RunAsync($"list {kind} interfaces", IpTool.Ip, ["-json", "-details", "link", "show", "type", kind], cancellationToken)
            .ConfigureAwait(false);
        return LinkJson.ParseLinks(result.Output);
    }

    /// <summary>The names of the interfaces enslaved to <paramref name="bridge"/>, sorted.</summary>
    public static async Task<IReadOnlyList<string>> PortsAsync(IpCommand ip, string bridge, CancellationToken cancellationToken)
    {
        var result = await ip.RunAsync($"list the ports of {bridge}", IpTool.Ip, ["-json", "link", "show", "master", bridge], cancellationToken)
            .ConfigureAwait(false);
        return [.. LinkJson.ParseLinks(result.Output).Select(link => link.Name).Order(StringComparer.Ordinal)];
    }

    public static async Task<IReadOnlyList<string>> AddressesAsync(IpCommand ip, string name, CancellationToken cancellationToken)
    {
        var result = await ip.RunAsync($"read the addresses of {name}", IpTool.Ip, ["-json", "addr", "show", "dev", name], cancellationToken)
            .ConfigureAwait(false);
        return LinkJson.ParseAddresses(result.Output);
    }
}
