using WebVirt.TestSupport;
using WebVirt.Hypervisor.Images;
using WebVirt.Shared.Vms;

namespace WebVirt.Hypervisor.Tests.Images;

public sealed class QemuImgResizeTests : IDisposable
{
    private readonly TempFolder _directory = new();

    [Theory]
    [InlineData(DiskFormat.Qcow2)]
    [InlineData(DiskFormat.Raw)]
    public async Task ResizeAsync_Grow_InfoShowsNewSize(DiskFormat format)
    {
        var qemuImg = QemuImgTool.Create();
        var path = _directory.Combine("disk.img");
        await qemuImg.CreateAsync(path, format, 64L << 20, CancellationToken.None);

        await qemuImg.ResizeAsync(path, format, 1L << 30, CancellationToken.None);

        Assert.Equal(1L << 30, (await qemuImg.InfoAsync(path, format)).VirtualSize);
    }

    [Theory]
    [InlineData(DiskFormat.Qcow2)]
    [InlineData(DiskFormat.Raw)]
    public async Task ResizeAsync_Shrink_RefusedWithoutRunningQemuImg(DiskFormat format)
    {
        var qemuImg = QemuImgTool.Create();
        var recording = new RecordingQemuImg(_directory);
        var path = _directory.Combine("disk.img");
        await qemuImg.CreateAsync(path, format, 1L << 30, CancellationToken.None);

        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => recording.QemuImg.ResizeAsync(path, format, 512L << 20, CancellationToken.None));

        Assert.Contains("Refusing to shrink", error.Message, StringComparison.Ordinal);
        Assert.Contains($"from {1L << 30} to {512L << 20} bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal("newSizeBytes", error.ParamName);
        Assert.Empty(recording.Invocations());
        Assert.Equal(1L << 30, (await qemuImg.InfoAsync(path, format)).VirtualSize);
    }

    [Fact]
    public async Task ResizeAsync_SameSize_DoesNothing()
    {
        var qemuImg = QemuImgTool.Create();
        var recording = new RecordingQemuImg(_directory);
        var path = _directory.Combine("disk.qcow2");
        await qemuImg.CreateAsync(path, DiskFormat.Qcow2, 1L << 30, CancellationToken.None);

        await recording.QemuImg.ResizeAsync(path, DiskFormat.Qcow2, 1L << 30, CancellationToken.None);

        Assert.Empty(recording.Invocations());
    }

    [Fact]
    public async Task ResizeAsync_RawFileAsQcow2_ThrowsNotQcow2()
    {
        var qemuImg = QemuImgTool.Create();
        var path = _directory.Combine("disk.raw");
        await qemuImg.CreateAsync(path, DiskFormat.Raw, 1L << 20, CancellationToken.None);

        var error = await Assert.ThrowsAsync<ImageException>(
            () => qemuImg.ResizeAsync(path, DiskFormat.Qcow2, 1L << 30, CancellationToken.None));

        Assert.Contains("not a qcow2 image", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResizeAsync_MissingImage_ThrowsImageException()
    {
        var qemuImg = QemuImgTool.Create();
        var path = _directory.Combine("none.qcow2");

        var error = await Assert.ThrowsAsync<ImageException>(
            () => qemuImg.ResizeAsync(path, DiskFormat.Qcow2, 1L << 30, CancellationToken.None));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();
}
