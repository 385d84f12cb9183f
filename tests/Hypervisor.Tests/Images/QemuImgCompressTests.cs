using WebVirt.Hypervisor.Images;
using WebVirt.Shared.Vms;
using WebVirt.TestSupport;

namespace WebVirt.Hypervisor.Tests.Images;

public sealed class QemuImgCompressTests : IDisposable
{
    private readonly TempFolder _directory = new();

    [Fact]
    public async Task CompressAsync_LinkedClone_StaysAnOverlayOnItsBase_WithItsOwnDataOnly()
    {
        var qemuImg = QemuImgTool.Create();
        var baseRaw = _directory.Combine("base.raw");
        var baseImage = _directory.Combine("base.qcow2");
        var clone = _directory.Combine("clone.qcow2");
        var compressed = _directory.Combine("compressed.qcow2");
        TestImages.WritePatternedRaw(baseRaw, 16L << 20, patternBytes: 8 << 20);
        await qemuImg.ConvertAsync(baseRaw, DiskFormat.Raw, baseImage, DiskFormat.Qcow2, compress: false, progress: null, CancellationToken.None);
        await qemuImg.CreateLinkedCloneAsync(clone, baseImage, DiskFormat.Qcow2);

        // The clone's own data: 4 MiB of a pattern and 4 MiB written as zeros over the base's pattern.
        await QemuImgTool.RunToolAsync("qemu-io", "-f", "qcow2", "-c", "write -P 0xab 8M 4M", "-c", "write -P 0 0 4M", clone);
        var progress = new RecordingProgress();

        await qemuImg.CompressAsync(clone, compressed, baseImage, DiskFormat.Qcow2, progress, CancellationToken.None);

        var info = await qemuImg.InfoAsync(compressed, DiskFormat.Qcow2);
        Assert.Equal(baseImage, info.BackingFile);
        Assert.Equal("qcow2", info.BackingFormat);
        Assert.Equal(100, progress.Values[^1]);
        Assert.True(new FileInfo(compressed).Length < new FileInfo(clone).Length, $"compressed {new FileInfo(compressed).Length}, clone {new FileInfo(clone).Length}");
        await QemuImgTool.RunAsync("compare", "-q", "-f", "qcow2", "-F", "qcow2", clone, compressed);
    }

    [Fact]
    public async Task CompressAsync_ExistingDestination_IsRefusedAndKept()
    {
        var qemuImg = QemuImgTool.Create();
        var source = _directory.Combine("source.qcow2");
        var destination = _directory.Combine("taken.qcow2");
        await qemuImg.CreateAsync(source, DiskFormat.Qcow2, 1 << 20);
        await File.WriteAllTextAsync(destination, "mine");

        await Assert.ThrowsAsync<ImageException>(() => qemuImg.CompressAsync(source, destination, null, null, null, CancellationToken.None));

        Assert.Equal("mine", await File.ReadAllTextAsync(destination));
    }

    [Fact]
    public async Task ResizeEncryptedAsync_GrowsWithTheKey_AndRefusesAShrink()
    {
        var qemuImg = QemuImgTool.Create();
        var image = _directory.Combine("vault.qcow2");
        var key = _directory.Combine("key");
        await File.WriteAllTextAsync(key, "a-long-enough-passphrase");
        await qemuImg.CreateEncryptedAsync(image, 8L << 20, key);

        await qemuImg.ResizeEncryptedAsync(image, 24L << 20, key);
        await Assert.ThrowsAsync<ArgumentException>(() => qemuImg.ResizeEncryptedAsync(image, 4L << 20, key));

        var info = await qemuImg.InfoAsync(image, DiskFormat.Qcow2);
        Assert.Equal((24L << 20, true), (info.VirtualSize, info.Encrypted));
        await File.WriteAllTextAsync(key, "the-wrong-passphrase");
        await Assert.ThrowsAsync<ImageException>(() => qemuImg.ResizeEncryptedAsync(image, 32L << 20, key));
    }

    public void Dispose() => _directory.Dispose();
}
