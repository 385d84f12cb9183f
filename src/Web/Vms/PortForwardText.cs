using System.Globalization;
using WebVirt.Shared.Vms;

namespace WebVirt.Web.Vms;

/// <summary>
/// Port forwards as users type them: comma-separated <c>[tcp|udp:][address:]hostPort-guestPort</c>, for example
/// <c>tcp:127.0.0.1:2222-22, 8080-80</c>. Ports and addresses are checked again by the definition validator.
/// </summary>
internal static class PortForwardText
{
    public static string Format(IEnumerable<PortForward> forwards) =>
        string.Join(", ", forwards.Select(f => $"{f.Protocol.ToString().ToLowerInvariant()}:{f.HostAddress}:{f.HostPort}-{f.GuestPort}"));

    /// <summary>The forwards, or an error naming the first entry that does not read.</summary>
    public static (IReadOnlyList<PortForward> Forwards, string? Error) Parse(string? text)
    {
        var forwards = new List<PortForward>();
        foreach (var raw in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = raw.Split(':');
            var protocol = PortForwardProtocol.Tcp;
            var index = 0;
            if (parts.Length > 1 && Enum.TryParse<PortForwardProtocol>(parts[0], ignoreCase: true, out var named) && !int.TryParse(parts[0], out _))
            {
                protocol = named;
                index = 1;
            }

            var address = parts.Length - index == 2 ? parts[index] : "127.0.0.1";
            var ports = parts[^1].Split('-');
            if (parts.Length - index is < 1 or > 2 || ports.Length != 2
                || !int.TryParse(ports[0], NumberStyles.None, CultureInfo.InvariantCulture, out var hostPort)
                || !int.TryParse(ports[1], NumberStyles.None, CultureInfo.InvariantCulture, out var guestPort))
            {
                return ([], $"'{raw}' is not [tcp|udp:][address:]hostPort-guestPort");
            }

            forwards.Add(new PortForward { Protocol = protocol, HostAddress = address, HostPort = hostPort, GuestPort = guestPort });
        }

        return (forwards, null);
    }
}
