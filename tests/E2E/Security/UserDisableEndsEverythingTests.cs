using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using WebVirt.E2E.Tests.Ui;
using WebVirt.TestSupport;
using Xunit.Abstractions;

namespace WebVirt.E2E.Tests.Security;

/// <summary>
/// An administrator disables a user (or resets their password) while that user holds an API token, an open
/// dashboard and an open VNC console in the real Chromium: all three end within 5 s, with the panel's default
/// <c>Security:SessionCheckSeconds</c>. The token answers 401; the dashboard's circuit signs out, which sends its page to
/// the sign-in form (a full load: Playwright reports no close for a WebSocket that its page's navigation drops, so
/// the page's address is what is watched); the console's WebSocket closes (or goes with its page), the panel's relay
/// ends (an administrator's list of who is connected), and no console is served again.
/// Each time is measured from just before the administrator's request and written to the test output.
/// </summary>
[Collection(RealProcessesCollection.Name)]
public sealed class UserDisableEndsEverythingTests(ITestOutputHelper output) : ClusterBrowserTest
{
    private const string UserName = "worker";
    private const string Password = "worker-password-4711";
    private const string Pool = "team";

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    /// <summary>How long the test keeps watching, so that a failure says how late each ending came.</summary>
    private static readonly TimeSpan Watch = TimeSpan.FromSeconds(15);

    /// <summary>Only for getting there (guest boot, circuits on a busy machine); the measured part has <see cref="Bound"/>.</summary>
    private static readonly float Setup = 60_000;

    [Theory]
    [InlineData("disable")]
    [InlineData("password")]
    public async Task EndingTheUsersSignIn_EndsTokenDashboardAndConsole_Within5s(string action)
    {
        var vmId = await Cluster.CreateAndStartGuestVmAsync(HostId, "sessions-vm");
        await SendAsync(HttpMethod.Post, "/api/v1/access/pools", new { name = Pool });
        await SendAsync(HttpMethod.Put, $"/api/v1/access/pools/{Pool}/vms/{vmId}");
        var userId = await CreateUserAsync();
        await SendAsync(HttpMethod.Post, "/api/v1/access/acl", new { path = $"/pools/{Pool}", userId, role = "Operator", propagate = true });
        using var token = await TokenClientAsync();
        Assert.Contains(vmId.ToString(), await token.GetStringAsync("/api/v1/vms"), StringComparison.Ordinal);

        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        var dashboard = await context.NewPageAsync();
        var circuit = WebSocketWatch.Of(dashboard, "/_blazor");
        await dashboard.GotoAsync(Cluster.PanelUrl + "/");
        await dashboard.GetByLabel("User name").FillAsync(UserName);
        await dashboard.GetByLabel("Password").FillAsync(Password);
        await dashboard.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(dashboard.GetByTestId("vm-table")).ToContainTextAsync("sessions-vm", new() { Timeout = Setup });
        Assert.True(circuit.IsOpen, "the dashboard's circuit WebSocket is not open");

        var console = await context.NewPageAsync();
        var vnc = WebSocketWatch.Of(console, $"/console/{vmId}/vnc");
        await console.GotoAsync($"{Cluster.PanelUrl}/vms/{vmId}/console");
        await Assertions.Expect(console.GetByTestId("console-status")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = Setup });
        Assert.True(vnc.IsOpen, "the console's WebSocket is not open");

        // The panel's own view of the relay: an administrator's console page lists who is connected.
        var watcher = await Chromium.SignInAsAdminAsync(await Browser.NewContextAsync(), Cluster.PanelUrl);
        await watcher.GotoAsync($"{Cluster.PanelUrl}/vms/{vmId}/serial");
        var relayed = watcher.Locator($"[data-testid=console-viewer][data-user={UserName}]");
        await Assertions.Expect(relayed).ToHaveCountAsync(1, new() { Timeout = Setup });

        vnc.Mark();
        var clock = Stopwatch.StartNew();
        if (action == "disable")
        {
            await SendAsync(HttpMethod.Post, $"/api/v1/access/users/{userId}/disable");
        }
        else
        {
            await SendAsync(HttpMethod.Post, $"/api/v1/access/users/{userId}/password", new { password = "a-new-password-0815", mustChangePassword = false });
        }

        var requested = clock.Elapsed;
        var ended = await Task.WhenAll(
            Measure("API token answers 401", clock, async () => (await token.GetAsync("/api/v1/vms")).StatusCode == HttpStatusCode.Unauthorized),
            Measure("dashboard on the sign-in form", clock, () => Task.FromResult(OnSignIn(dashboard))),
            // Closed by the panel, or dropped with its page when that page's circuit signed out first.
            Measure("console WebSocket closed", clock, () => Task.FromResult(vnc.Closed || OnSignIn(console))),
            Measure("console relay ended on the panel", clock, async () => await relayed.CountAsync() == 0),
            Measure("console page on the sign-in form", clock, () => Task.FromResult(OnSignIn(console))));

        output.WriteLine($"{action}: the API call took {requested.TotalSeconds:0.000} s");
        foreach (var (what, after) in ended)
        {
            output.WriteLine($"{action}: {what} after {(after is { } a ? $"{a.TotalSeconds:0.000} s" : $"more than {Watch.TotalSeconds} s")}");
        }

        Assert.All(ended, e => Assert.True(e.After < Bound, $"{action}: '{e.What}' did not happen within {Bound.TotalSeconds} s\n{Cluster.Panel?.Output}"));

        // What the user sees: the sign-in form, asked to come back to where they were.
        Assert.Contains("/account/login?returnUrl=%2F", dashboard.Url, StringComparison.Ordinal);
        Assert.Contains($"/account/login?returnUrl=%2Fvms%2F{vmId}%2Fconsole", console.Url, StringComparison.Ordinal);
        await Assertions.Expect(dashboard.GetByLabel("User name")).ToBeVisibleAsync();

        // And the browser's cookie is dead too: neither page comes back, and no console reconnected meanwhile.
        await dashboard.GotoAsync(Cluster.PanelUrl + "/");
        await dashboard.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal), new() { Timeout = Setup });
        await console.GotoAsync($"{Cluster.PanelUrl}/vms/{vmId}/console");
        await console.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal), new() { Timeout = Setup });
        Assert.Equal(0, vnc.ServedAfterMark);
    }

    /// <summary>Polls <paramref name="happened"/> until the bound measured from <paramref name="clock"/>; the time it took, or null.</summary>
    private static async Task<(string What, TimeSpan? After)> Measure(string what, Stopwatch clock, Func<Task<bool>> happened)
    {
        while (clock.Elapsed < Watch)
        {
            if (await happened())
            {
                return (what, clock.Elapsed);
            }

            await Task.Delay(50);
        }

        return (what, null);
    }

    private static bool OnSignIn(IPage page) => page.Url.Contains("/account/login", StringComparison.Ordinal);

    private async Task<string> CreateUserAsync()
    {
        await SendAsync(HttpMethod.Post, "/api/v1/access/users", new { userName = UserName, password = Password, mustChangePassword = false });
        var users = JsonDocument.Parse(await Cluster.Api.GetStringAsync("/api/v1/access/users")).RootElement;
        return users.EnumerateArray().Single(u => u.GetProperty("userName").GetString() == UserName).GetProperty("id").GetString()!;
    }

    private async Task<HttpClient> TokenClientAsync()
    {
        var client = new HttpClient { BaseAddress = new Uri(Cluster.PanelUrl) };
        using var response = await client.PostAsJsonAsync("/api/v1/auth/tokens", new { userName = UserName, password = Password });
        Assert.True(response.IsSuccessStatusCode, $"token: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var token = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private async Task SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await Cluster.Api.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// The WebSockets a page opens to one path: open once one has opened, closed once the last one has closed; and
    /// how many opened after <see cref="Mark"/> were then served (got a frame): a console that came back.
    /// </summary>
    private sealed class WebSocketWatch
    {
        private volatile IWebSocket? _last;
        private volatile bool _lastClosed;
        private volatile bool _marked;
        private int _servedAfterMark;

        public bool IsOpen => _last is not null && !_lastClosed;

        public bool Closed => _last is not null && _lastClosed;

        public int ServedAfterMark => Volatile.Read(ref _servedAfterMark);

        public void Mark() => _marked = true;

        public static WebSocketWatch Of(IPage page, string path)
        {
            var watch = new WebSocketWatch();
            page.WebSocket += (_, socket) =>
            {
                if (!new Uri(socket.Url).AbsolutePath.StartsWith(path, StringComparison.Ordinal))
                {
                    return;
                }

                var afterMark = watch._marked;
                var served = 0;
                watch._lastClosed = false;
                watch._last = socket;
                socket.FrameReceived += (_, _) =>
                {
                    if (afterMark && Interlocked.Exchange(ref served, 1) == 0)
                    {
                        Interlocked.Increment(ref watch._servedAfterMark);
                    }
                };
                socket.Close += (_, closed) =>
                {
                    if (ReferenceEquals(closed, watch._last))
                    {
                        watch._lastClosed = true;
                    }
                };
            };
            return watch;
        }
    }
}
