using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Hosting;

/// <summary>
/// The single-machine setup: the panel process also runs the local host's agent — the same Host.Agent code —
/// connecting to the panel's own hub over loopback with a token made fresh at every start.
/// </summary>
public sealed class EmbeddedAgent
{
    public const string LocalHostName = "local";

    /// <summary>Whether this panel runs the local host's agent in its own process (<c>Agent:Embedded</c>).</summary>
    public static bool IsConfigured(IConfiguration configuration) => configuration.GetValue("Agent:Embedded", false);

    public string? PanelUrl { get; private set; }

    public string? Token { get; private set; }

    /// <summary>Makes sure the local host exists and gives it a new token (only the hash is stored).</summary>
    internal async Task PrepareAsync(IDbContextFactory<WebVirtDbContext> contexts, IConfiguration configuration)
    {
        PanelUrl = LoopbackUrl(configuration);
        Token = HostTokens.Generate();
        await using var db = await contexts.CreateDbContextAsync();
        var host = await db.Hosts.SingleOrDefaultAsync(h => h.IsLocal);
        if (host is null)
        {
            var name = await db.Hosts.AnyAsync(h => h.Name == LocalHostName) ? $"{LocalHostName}-{Environment.MachineName}" : LocalHostName;
            host = new HostRecord { Id = Guid.NewGuid(), Name = name, IsLocal = true, TokenHash = "" };
            db.Hosts.Add(host);
        }

        host.TokenHash = HostTokens.Hash(Token);
        host.TokenCreatedAt = DateTimeOffset.UtcNow;

        // The local host cannot be revoked (HostRegistration refuses); a mark left by a version that allowed it is lifted.
        host.RevokedAt = null;
        await db.SaveChangesAsync();
    }

    /// <summary>The first configured URL, with a wildcard host replaced by loopback: where the local agent dials.</summary>
    internal static string LoopbackUrl(IConfiguration configuration)
    {
        var urls = configuration["urls"] ?? configuration["Urls"] ?? "http://127.0.0.1:5000";
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .OrderBy(u => u.StartsWith("https", StringComparison.OrdinalIgnoreCase) ? 1 : 0)
            .First();
        var uri = new UriBuilder(first.Replace("://*", "://127.0.0.1", StringComparison.Ordinal).Replace("://+", "://127.0.0.1", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::" or "localhost")
        {
            uri.Host = "127.0.0.1";
        }

        if (uri.Port == 0)
        {
            throw new InvalidOperationException("The embedded agent needs a fixed panel port: set Urls to an address with a port other than 0.");
        }

        return uri.Uri.ToString().TrimEnd('/');
    }
}
