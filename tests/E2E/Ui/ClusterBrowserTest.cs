using Microsoft.Playwright;
using WebVirt.TestSupport;

namespace WebVirt.E2E.Tests.Ui;

/// <summary>
/// What most browser tests start each test with: the real Chromium, the panel and a host "node1" whose agent has
/// connected, as real processes of their own; all stopped after the test.
/// </summary>
public abstract class ClusterBrowserTest : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    protected TestCluster Cluster { get; } = new();

    protected IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium has not started.");

    protected Guid HostId { get; private set; }

    public async Task InitializeAsync()
    {
        (_playwright, _browser) = await Chromium.LaunchAsync();
        await Cluster.StartPanelAsync();
        HostId = await Cluster.AddHostAsync("node1");
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Cluster.DisposeAsync();
    }
}
