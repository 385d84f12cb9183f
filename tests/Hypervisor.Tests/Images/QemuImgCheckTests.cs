using WebVirt.TestSupport;
using WebVirt.Shared.Vms;

namespace WebVirt.Hypervisor.Tests.Images;

public sealed class QemuImgCheckTests : IDisposable
{
    private readonly TempFolder _directory = new();

    [Fact]
    public async Task CheckAsync_NewQcow2_IsClean()
    {
        var qemuImg = QemuImgTool.Create();
        var path = _directory.Combine("disk.qcow2");
        await qemuImg.CreateAsync(path, DiskFormat.Qcow2, 1L << 30, CancellationToken.None);

        var result = await qemuImg.CheckAsync(path, DiskFormat.Qcow2, CancellationToken.None);

        Assert.True(result.IsSupported);
        Assert.True(result.IsClean);
        Assert.Equal(0, result.Corruptions);
        Assert.Equal(0, result.Leaks);
        Assert.Equal(16384, result.TotalClusters);
        Assert.Equal("", result.Details);
    }

    [Fact]
    public async Task CheckAsync_RefcountZeroedForUsedCluster_ReportsOneCorruption()
    {
        var qemuImg = QemuImgTool.Create();
        var path = _directory.Combine("corrupt.qcow2");
        await qemuImg.CreateAsync(path, DiskFormat.Qcow2, 1L << 30, CancellationToken.None);
        TestImages.SetHeaderClusterRefcount(path, 0);

        var result = await qemuImg.CheckAsync(path, DiskFormat.Qcow2, CancellationToken.None);

        Assert.False(result.IsClean);
        Assert.Equal(1, result.Corruptions);
        Assert.Equal(0, result.Leaks);
        Assert.Contains("ERROR cluster 0 refcount=0 reference=1", result.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_RefcountTooHigh_ReportsOneLeak()
    {
        var qemuImg = QemuImgTool.Create();
        var path = _directory.Combine("leaky.qcow2");
        await qemuImg.CreateAsync(path, DiskFormat.Qcow2, 1L << 30, CancellationToken.None);
        TestImages.SetHeaderClusterRefcount(path, 2);

        var result = await qemuImg.CheckAsync(path, DiskFormat.Qcow2, CancellationToken.None);

        Assert.False(result.IsClean);
        Assert.Equal(0, result.Corruptions);
        Assert.Equal(1, result.Leaks);
        Assert.Contains("Leaked cluster 0", result.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_Raw_NotSupportedButClean()
    {
        var qemuImg = QemuImgTool.Create();
        var path = _directory.Combine("disk.raw");
        await qemuImg.CreateAsync(path, DiskFormat.Raw, 1L << 20, CancellationToken.None);

        var result = await qemuImg.CheckAsync(path, DiskFormat.Raw, CancellationToken.None);

        Assert.False(result.IsSupported);
        Assert.True(result.IsClean);
        Assert.Contains("does not support checks", result.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_MissingImage_ThrowsImageException()
    {
        var qemuImg = QemuImgTool.Create();
        var path = _directory.Combine("none.qcow2");

        var error = await Assert.ThrowsAsync<WebVirt.Hypervisor.Images.ImageException>(
            () => qemuImg.CheckAsync(path, DiskFormat.Qcow2, CancellationToken.None));

        Assert.Equal($"qemu-img check failed for {path}: Could not open '{path}': Could not open '{path}': No such file or directory", error.Message);
    }

    public void Dispose() => _directory.Dispose();
}
