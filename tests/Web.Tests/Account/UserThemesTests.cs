using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Web.Account;
using WebVirt.Web.Inventory;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Account;

public sealed class UserThemesTests
{
    [Fact]
    public async Task SetDark_IsReadBackForThatUserOnly_AndLeavesTheSecurityStamp()
    {
        using var factory = new PanelFactory();
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<WebVirtUser>>();
        var themes = scope.ServiceProvider.GetRequiredService<UserThemes>();
        var alice = new WebVirtUser { UserName = "alice" };
        Assert.True((await users.CreateAsync(alice, "alice-long-passphrase")).Succeeded);
        var admin = (await users.FindByNameAsync("admin"))!;
        var stamp = await users.GetSecurityStampAsync(alice);

        Assert.False(await themes.IsDarkAsync(Principal(alice)));
        await themes.SetDarkAsync(Principal(alice), true);
        Assert.True(await themes.IsDarkAsync(Principal(alice)));
        Assert.False(await themes.IsDarkAsync(Principal(admin)));
        await themes.SetDarkAsync(Principal(alice), false);
        Assert.False(await themes.IsDarkAsync(Principal(alice)));

        var reloaded = (await scope.ServiceProvider.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope()
            .ServiceProvider.GetRequiredService<UserManager<WebVirtUser>>().FindByNameAsync("alice"))!;
        Assert.Equal(stamp, reloaded.SecurityStamp);
    }

    [Fact]
    public async Task Anonymous_IsLightAndNothingIsStored()
    {
        using var factory = new PanelFactory();
        var themes = factory.Services.GetRequiredService<UserThemes>();
        var anonymous = new ClaimsPrincipal(new ClaimsIdentity());
        await themes.SetDarkAsync(anonymous, true);
        Assert.False(await themes.IsDarkAsync(anonymous));
    }

    private static ClaimsPrincipal Principal(WebVirtUser user) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(ClaimTypes.Name, user.UserName!)], "test"));
}
