using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.TestSupport;

namespace WebVirt.Web.Tests.Hosting;

/// <summary>
/// The real panel (Program) in process, on a real SQLite file in a temp folder, without the embedded
/// agent, with a known administrator password.
/// </summary>
public sealed class PanelFactory : WebApplicationFactory<Program>
{
    public const string AdminPassword = "correct-horse-battery-7";

    private readonly TempFolder _folder = new("wvp");

    /// <summary>The panel's <c>Panel:DataDirectory</c>.</summary>
    public string DataDirectory => _folder.Combine("data");

    /// <summary>Replaces the panel's clock (ticket and tunnel expiry tests).</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>Configuration keys set on top of the test defaults ("Security:SessionCheckSeconds" = "1").</summary>
    public IReadOnlyDictionary<string, string>? Settings { get; init; }

    /// <summary>Adds or replaces services of the panel (a probe that watches requests).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Panel:ConnectionStrings:Inventory", $"Data Source={_folder.Combine("webvirt.db")}");
        builder.UseSetting("Agent:Embedded", "false");
        builder.UseSetting("Panel:DataDirectory", DataDirectory);
        builder.UseSetting("WEBVIRT_ADMIN_PASSWORD", AdminPassword);
        // Tests sign in and ask for tokens many times a minute from one address; the rate-limit tests set the default back.
        builder.UseSetting("Security:SignInPermitLimit", "10000");
        foreach (var (key, value) in Settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }

        if (Clock is not null)
        {
            builder.ConfigureServices(services => services.AddSingleton(Clock));
        }

        if (TestServices is not null)
        {
            builder.ConfigureServices(TestServices);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _folder.Dispose();
        }
    }
}
