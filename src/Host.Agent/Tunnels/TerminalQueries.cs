namespace WebVirt.Host.Agent.Tunnels;

/// <summary>
/// Removes terminal queries (cursor position and status reports, device attributes) from replayed scrollback:
/// a new viewer's terminal would answer each old query, and the answers would reach the guest as typed input.
/// </summary>
internal static class TerminalQueries
{
    private static readonly byte[][] Queries =
    [
        "\e[6n"u8.ToArray(), "\e[5n"u8.ToArray(), "\e[?6n"u8.ToArray(), "\e[c"u8.ToArray(), "\e[0c"u8.ToArray(), "\e[>c"u8.ToArray(), "\e[>0c"u8.ToArray(),
    ];

    public static byte[] Strip(byte[] scrollback)
    {
        if (Array.IndexOf(scrollback, (byte)0x1b) < 0)
        {
            return scrollback;
        }

        var kept = new List<byte>(scrollback.Length);
        for (var i = 0; i < scrollback.Length; i++)
        {
            var query = scrollback[i] == 0x1b ? Queries.FirstOrDefault(q => scrollback.AsSpan(i).StartsWith(q)) : null;
            if (query is null)
            {
                kept.Add(scrollback[i]);
            }
            else
            {
                i += query.Length - 1;
            }
        }

        return [.. kept];
    }
}
