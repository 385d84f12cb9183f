using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace WebVirt.Web.Tests.Hosting;

public sealed class SessionIdleTests
{
    [Fact]
    public void SignInCookie_Default_SlidesOverEightHours()
    {
        using var factory = new PanelFactory();
        var cookie = CookieOptions(factory);
        Assert.Equal(TimeSpan.FromMinutes(480), cookie.ExpireTimeSpan);
        Assert.True(cookie.SlidingExpiration);
    }

    [Fact]
    public void SignInCookie_FollowsPanelSessionIdleMinutes()
    {
        using var panel = new PanelFactory();
        using var factory = panel.WithWebHostBuilder(b => b.UseSetting("Panel:SessionIdleMinutes", "30"));
        var cookie = CookieOptions(factory);
        Assert.Equal(TimeSpan.FromMinutes(30), cookie.ExpireTimeSpan);
        Assert.True(cookie.SlidingExpiration);
    }

    [Fact]
    public void Start_ZeroSessionIdleMinutes_FailsWithAClearMessage()
    {
        using var panel = new PanelFactory();
        using var factory = panel.WithWebHostBuilder(b => b.UseSetting("Panel:SessionIdleMinutes", "0"));
        var error = Assert.Throws<OptionsValidationException>(() => factory.Services);
        Assert.Contains("Panel:SessionIdleMinutes must be between 1 and 43200", error.Message);
    }

    private static CookieAuthenticationOptions CookieOptions(WebApplicationFactory<Program> factory) =>
        factory.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
}
