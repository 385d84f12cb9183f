using Microsoft.Playwright;

namespace WebVirt.E2E.Tests.Ui;

/// <summary>The Debian package's Chromium driven by Playwright; Playwright's own browser downloads are never used.</summary>
internal static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        Assert.True(File.Exists(ExecutablePath), $"{ExecutablePath} is missing: install Debian package chromium (./test.sh does).");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return (playwright, browser);
    }

    /// <summary>artifacts/screenshots at the repository root, for people to look at.</summary>
    /// <summary>Signs the administrator in through the real form in a new page of <paramref name="context"/>; returns it on the dashboard.</summary>
    public static async Task<IPage> SignInAsAdminAsync(IBrowserContext context, string panelUrl)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(panelUrl + "/");
        await page.GetByLabel("User name").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync(TestSupport.TestCluster.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        // The circuit starts after the sign-in redirect: on a busy machine that takes longer than Playwright's 5 s default.
        await Assertions.Expect(page.GetByTestId("vm-table")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        return page;
    }

    public static string ScreenshotPath(string name)
    {
        var folder = Path.Combine(WebVirt.TestSupport.ProgramProcess.RepositoryRoot, "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name + ".png");
    }
}
