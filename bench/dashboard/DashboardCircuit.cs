using System.Diagnostics;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.Web.HtmlRendering;

namespace WebVirt.Bench.Dashboard;

/// <summary>
/// One open dashboard as a circuit holds it: its own service scope and renderer keep the page alive and subscribed
/// to the inventory notifier, and re-render it on events. The browser side (diff serialization, the socket) is not part of it.
/// </summary>
internal sealed class DashboardCircuit : IAsyncDisposable
{
    private readonly AsyncServiceScope _scope;
    private readonly HtmlRenderer _renderer;
    private HtmlRootComponent _root;
    private long _waitingSince;
    private TaskCompletionSource<long>? _reached;

    private DashboardCircuit(BenchPanel panel)
    {
        _scope = panel.NewCircuitScope();
        _renderer = panel.NewRenderer(_scope.ServiceProvider);
    }

    /// <summary>Opens the dashboard and returns when it has loaded and rendered (quiescent).</summary>
    public static async Task<DashboardCircuit> OpenAsync(BenchPanel panel, bool withNavigation)
    {
        var circuit = new DashboardCircuit(panel);
        var parameters = ParameterView.FromDictionary(new Dictionary<string, object?>
        {
            [nameof(DashboardHost.Rendered)] = (Action)circuit.OnRendered,
            [nameof(DashboardHost.WithNavigation)] = withNavigation,
        });
        circuit._root = await circuit._renderer.Dispatcher.InvokeAsync(() => circuit._renderer.RenderComponentAsync<DashboardHost>(parameters));
        await circuit._root.QuiescenceTask;
        return circuit;
    }

    public Task<string> HtmlAsync() => _renderer.Dispatcher.InvokeAsync(() => _root.ToHtmlString());

    /// <summary>Arms the probe: the returned task gives the Stopwatch timestamp of the next render after <paramref name="since"/>.</summary>
    public Task<long> NextRenderAfter(long since)
    {
        _waitingSince = since;
        _reached = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        return _reached.Task;
    }

    private void OnRendered()
    {
        var now = Stopwatch.GetTimestamp();
        if (_reached is { } reached && now >= _waitingSince)
        {
            reached.TrySetResult(now);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _renderer.DisposeAsync();
        await _scope.DisposeAsync();
    }
}
