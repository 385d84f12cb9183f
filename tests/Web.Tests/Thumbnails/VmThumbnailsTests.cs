using Microsoft.Extensions.Logging.Abstractions;
using WebVirt.Web.Tests.Inventory;
using WebVirt.Web.Thumbnails;

namespace WebVirt.Web.Tests.Thumbnails;

/// <summary>Thumbnails are captured only while watched, once per interval per VM, and pushed only when the picture changed.</summary>
public sealed class VmThumbnailsTests
{
    // Real PNGs narrower than a thumbnail, so they are pushed as they are (bytes that do not decode never are).
    private static readonly byte[] PictureA = PngScalerTests.Picture(100, 50, 3);
    private static readonly byte[] PictureB = PngScalerTests.Picture(120, 60, 3);

    private readonly FakeScreendumpSource _source = new();
    private readonly ManualClock _clock = new();
    private readonly VmThumbnails _thumbnails;
    private readonly Guid _vm = Guid.NewGuid();

    public VmThumbnailsTests() => _thumbnails = new VmThumbnails(_source, _clock, NullLogger<VmThumbnails>.Instance);

    [Fact]
    public async Task NobodyWatching_NothingIsCaptured()
    {
        _source.Show(_vm, PictureA);

        await _thumbnails.RefreshAsync(CancellationToken.None);

        Assert.Equal(0, _source.CapturesOf(_vm));
    }

    [Fact]
    public async Task Watched_CapturedOncePerInterval_PushedOnlyWhenChanged()
    {
        _source.Show(_vm, PictureA);
        var pushed = new List<byte[]>();
        using var subscription = _thumbnails.Subscribe(_vm, t => pushed.Add(t.Png));

        await _thumbnails.RefreshAsync(CancellationToken.None);
        await _thumbnails.RefreshAsync(CancellationToken.None);
        _clock.Advance(VmThumbnails.Interval - TimeSpan.FromMilliseconds(1));
        await _thumbnails.RefreshAsync(CancellationToken.None);

        Assert.Equal(1, _source.CapturesOf(_vm));
        Assert.Equal([PictureA], pushed);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await _thumbnails.RefreshAsync(CancellationToken.None);

        Assert.Equal(2, _source.CapturesOf(_vm));
        Assert.Single(pushed);

        _source.Show(_vm, PictureB);
        _clock.Advance(VmThumbnails.Interval);
        await _thumbnails.RefreshAsync(CancellationToken.None);

        Assert.Equal(3, _source.CapturesOf(_vm));
        Assert.Equal([PictureA, PictureB], pushed);
    }

    [Fact]
    public async Task ManyWatchers_OneCapture_AllPushed_CountedUntilTheLastLeaves()
    {
        _source.Show(_vm, PictureA);
        var first = 0;
        var second = 0;
        var a = _thumbnails.Subscribe(_vm, _ => first++);
        var b = _thumbnails.Subscribe(_vm, _ => second++);

        await _thumbnails.RefreshAsync(CancellationToken.None);

        Assert.Equal(1, _source.CapturesOf(_vm));
        Assert.Equal((1, 1), (first, second));

        a.Dispose();
        a.Dispose();
        _source.Show(_vm, PictureB);
        _clock.Advance(VmThumbnails.Interval);
        await _thumbnails.RefreshAsync(CancellationToken.None);

        Assert.Equal(2, _source.CapturesOf(_vm));
        Assert.Equal((1, 2), (first, second));

        b.Dispose();
        _clock.Advance(VmThumbnails.Interval);
        await _thumbnails.RefreshAsync(CancellationToken.None);

        Assert.Equal(2, _source.CapturesOf(_vm));
        Assert.Equal(0, _thumbnails.WatchedCount);
    }

    [Fact]
    public async Task ALaterWatcher_GetsTheCurrentPictureAtOnce()
    {
        _source.Show(_vm, PictureA);
        using var first = _thumbnails.Subscribe(_vm, _ => { });
        await _thumbnails.RefreshAsync(CancellationToken.None);

        VmThumbnail? got = null;
        using var later = _thumbnails.Subscribe(_vm, t => got = t);

        Assert.Equal(PictureA, got?.Png);
        Assert.Equal(1, _source.CapturesOf(_vm));
        Assert.StartsWith("data:image/png;base64,", got!.DataUrl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoScreen_NothingPushed_RetriedAfterTheInterval()
    {
        _source.Show(_vm, null);
        var pushed = 0;
        using var subscription = _thumbnails.Subscribe(_vm, _ => pushed++);

        await _thumbnails.RefreshAsync(CancellationToken.None);
        _source.Show(_vm, PictureA);
        await _thumbnails.RefreshAsync(CancellationToken.None);

        Assert.Equal(0, pushed);

        _clock.Advance(VmThumbnails.Interval);
        await _thumbnails.RefreshAsync(CancellationToken.None);

        Assert.Equal(1, pushed);
    }

    [Fact]
    public async Task AFailingWatcher_DoesNotStopTheOthers()
    {
        _source.Show(_vm, PictureA);
        var pushed = 0;
        using var broken = _thumbnails.Subscribe(_vm, _ => throw new InvalidOperationException("circuit gone"));
        using var working = _thumbnails.Subscribe(_vm, _ => pushed++);

        await _thumbnails.RefreshAsync(CancellationToken.None);

        Assert.Equal(1, pushed);
    }

    [Fact]
    public async Task VmsAreCapturedIndependently()
    {
        var other = Guid.NewGuid();
        _source.Show(_vm, PictureA);
        _source.Show(other, PictureB);
        using var watchOne = _thumbnails.Subscribe(_vm, _ => { });

        await _thumbnails.RefreshAsync(CancellationToken.None);

        Assert.Equal(1, _source.CapturesOf(_vm));
        Assert.Equal(0, _source.CapturesOf(other));
    }
}
