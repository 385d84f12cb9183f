using System.Collections.Concurrent;
using WebVirt.Web.Thumbnails;

namespace WebVirt.Web.Tests.Thumbnails;

/// <summary>Screens the test sets per VM; counts every capture.</summary>
internal sealed class FakeScreendumpSource : IScreendumpSource
{
    private readonly ConcurrentDictionary<Guid, byte[]?> _screens = new();
    private readonly ConcurrentDictionary<Guid, int> _captures = new();

    public void Show(Guid vmId, byte[]? png) => _screens[vmId] = png;

    public int CapturesOf(Guid vmId) => _captures.GetValueOrDefault(vmId);

    public Task<byte[]?> CaptureAsync(Guid vmId, CancellationToken cancellationToken)
    {
        _captures.AddOrUpdate(vmId, 1, (_, n) => n + 1);
        return Task.FromResult(_screens.GetValueOrDefault(vmId));
    }
}
