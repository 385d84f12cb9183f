using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WebVirt.TestSupport;

namespace WebVirt.E2E.Tests.Ui;

/// <summary>
/// Two-factor sign-in and lockout in the real Chromium against the panel as a real process: enrolment on the
/// account security page with a code computed from the key shown there, then sign-ins with code and recovery code.
/// </summary>
[Collection(RealProcessesCollection.Name)]
public sealed partial class AccountSecurityTests : IAsyncLifetime
{
    private readonly TestCluster _cluster = new();
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        (_playwright, _browser) = await Chromium.LaunchAsync();
        await _cluster.StartPanelAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task TwoFactor_EnrolInTheUi_ThenSignInWithCodeAndWithARecoveryCodeOnce()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(_cluster.PanelUrl + "/");
        await SignInWithPasswordAsync(page);
        await WaitForPanelAsync(page);

        await page.GetByTestId("signed-in-user").ClickAsync();
        await page.GetByTestId("menu-account-security").ClickAsync();
        await page.WaitForURLAsync("**/account/security");
        await Assertions.Expect(page.GetByTestId("two-factor-state")).ToHaveTextAsync("Off");
        await Assertions.Expect(page.GetByTestId("totp-qr").Locator("svg")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("two-factor-enrol"), FullPage = true });

        var key = (await page.GetByTestId("totp-key").TextContentAsync())!;
        Assert.Matches("^[a-z2-7]{4}( [a-z2-7]{1,4})+$", key);

        // A wrong code first: refused, nothing turned on.
        await page.GetByLabel("Code from the app").FillAsync(Totp.Code(key) == "000000" ? "111111" : "000000");
        await page.GetByTestId("enable-two-factor").ClickAsync();
        await Assertions.Expect(page.GetByTestId("security-error")).ToContainTextAsync("does not match");
        await Assertions.Expect(page.GetByTestId("two-factor-state")).ToHaveTextAsync("Off");

        await page.GetByLabel("Code from the app").FillAsync(Totp.Code(key));
        await page.GetByTestId("enable-two-factor").ClickAsync();
        await Assertions.Expect(page.GetByTestId("two-factor-state")).ToHaveTextAsync("On");
        var codes = await page.GetByTestId("recovery-codes").Locator("code").AllTextContentsAsync();
        Assert.Equal(10, codes.Count);
        Assert.All(codes, c => Assert.Matches(RecoveryCodePattern(), c));
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("two-factor-recovery-codes"), FullPage = true });

        await page.GetByTestId("recovery-codes-saved").ClickAsync();
        await Assertions.Expect(page.GetByTestId("recovery-codes-left")).ToHaveTextAsync("10 recovery codes left.");

        // The cookie was renewed with the new security stamp: the panel still opens without a new sign-in.
        await page.GetByTestId("back-to-panel").ClickAsync();
        await WaitForPanelAsync(page);
        await SignOutAsync(page);

        await SignInWithPasswordAsync(page);
        await page.WaitForURLAsync("**/account/login-2fa**");
        await page.GetByLabel("Authentication code").FillAsync(Totp.Code(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await WaitForPanelAsync(page);
        await SignOutAsync(page);

        await SignInWithPasswordAsync(page);
        await page.GetByTestId("use-recovery-code").ClickAsync();
        await page.GetByLabel("Recovery code").FillAsync(codes[0]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await WaitForPanelAsync(page);
        await SignOutAsync(page);

        await SignInWithPasswordAsync(page);
        await page.GetByTestId("use-recovery-code").ClickAsync();
        await page.GetByLabel("Recovery code").FillAsync(codes[0]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("two-factor-error")).ToContainTextAsync("already used");
        Assert.Contains("/account/login-2fa", page.Url);

        // New recovery codes, then two-factor off: a wrong password changes nothing, the current code does.
        await page.GetByTestId("use-authenticator").ClickAsync();
        await page.GetByLabel("Authentication code").FillAsync(Totp.Code(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await WaitForPanelAsync(page);
        await page.GotoAsync(_cluster.PanelUrl + "/account/security");
        await Assertions.Expect(page.GetByTestId("recovery-codes-left")).ToHaveTextAsync("9 recovery codes left.");
        await page.GetByTestId("regenerate-recovery-codes").ClickAsync();
        var fresh = await page.GetByTestId("recovery-codes").Locator("code").AllTextContentsAsync();
        Assert.Equal(10, fresh.Count);
        Assert.Empty(fresh.Intersect(codes));
        await page.GetByTestId("recovery-codes-saved").ClickAsync();
        await Assertions.Expect(page.GetByTestId("recovery-codes-left")).ToHaveTextAsync("10 recovery codes left.");

        await page.GetByLabel("Current code or password, to turn two-factor sign-in off").FillAsync("not-the-password");
        await page.GetByTestId("disable-two-factor").ClickAsync();
        await Assertions.Expect(page.GetByTestId("security-error")).ToContainTextAsync("stays on");
        await Assertions.Expect(page.GetByTestId("two-factor-state")).ToHaveTextAsync("On");
        await page.GetByLabel("Current code or password, to turn two-factor sign-in off").FillAsync(Totp.Code(key));
        await page.GetByTestId("disable-two-factor").ClickAsync();
        await Assertions.Expect(page.GetByTestId("two-factor-state")).ToHaveTextAsync("Off");
        Assert.NotEqual(key, await page.GetByTestId("totp-key").TextContentAsync());

        await page.GetByTestId("back-to-panel").ClickAsync();
        await WaitForPanelAsync(page);
        await SignOutAsync(page);
        await SignInWithPasswordAsync(page);
        await WaitForPanelAsync(page);
    }

    [Fact]
    public async Task Lockout_AfterFiveBadPasswords_TheRightOneIsRefusedWithTheLockedMessage()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(_cluster.PanelUrl + "/");
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await page.GetByLabel("User name").FillAsync("admin");
            await page.GetByLabel("Password").FillAsync("wrong-password-" + attempt);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("login-error")).ToBeVisibleAsync();
        }

        await SignInWithPasswordAsync(page);
        var error = page.GetByTestId("login-error");
        await Assertions.Expect(error).ToContainTextAsync("This account is locked");
        await Assertions.Expect(error).ToContainTextAsync(LockedUntilPattern());
        Assert.Contains("/account/login", page.Url);
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("sign-in-locked") });
    }

    private async Task<IPage> NewPageAsync()
    {
        var context = await _browser!.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        return await context.NewPageAsync();
    }

    private static async Task SignInWithPasswordAsync(IPage page)
    {
        await page.GetByLabel("User name").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync(TestCluster.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    private static async Task WaitForPanelAsync(IPage page)
    {
        await page.WaitForURLAsync(url => !url.Contains("/account/", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToBeVisibleAsync();
    }

    private static async Task SignOutAsync(IPage page)
    {
        await page.GetByTestId("sign-out").ClickAsync();
        await page.WaitForURLAsync("**/account/login**");
    }

    [GeneratedRegex("^[A-Z0-9]{5}-[A-Z0-9]{5}$")]
    private static partial Regex RecoveryCodePattern();

    [GeneratedRegex(@"Try again after \d\d:\d\d UTC \(in 1[45] minutes\)")]
    private static partial Regex LockedUntilPattern();
}
