using WebVirt.Hypervisor.Images;
using WebVirt.Shared.Vms;
using WebVirt.TestSupport;

namespace WebVirt.Hypervisor.Tests.Images;

public sealed class QemuImgSnapshotTests : IDisposable
{
    private readonly TempFolder _directory = new();

    [Fact]
    public async Task SnapshotAsync_CreateApplyDelete_ChangesTheImagesSnapshots()
    {
        var qemuImg = QemuImgTool.Create();
        var path = _directory.Combine("disk.qcow2");
        await qemuImg.CreateAsync(path, DiskFormat.Qcow2, 16L << 20);

        await qemuImg.SnapshotAsync(path, ImageSnapshotAction.Create, "one");
        await qemuImg.SnapshotAsync(path, ImageSnapshotAction.Create, "two");
        await qemuImg.SnapshotAsync(path, ImageSnapshotAction.Apply, "one");
        await qemuImg.SnapshotAsync(path, ImageSnapshotAction.Delete, "two");

        Assert.Equal("one", Assert.Single(await qemuImg.ListSnapshotsAsync(path)).Name);
        var missing = await Assert.ThrowsAsync<ImageException>(() => qemuImg.SnapshotAsync(path, ImageSnapshotAction.Apply, "two"));
        Assert.Contains("snapshot", missing.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-l")]
    [InlineData("a,b")]
    [InlineData("../x")]
    [InlineData("")]
    public async Task SnapshotAsync_BadName_RefusedWithoutRunningQemuImg(string name)
    {
        var recording = new RecordingQemuImg(_directory);
        await Assert.ThrowsAsync<ArgumentException>(() => recording.QemuImg.SnapshotAsync(_directory.Combine("disk.qcow2"), ImageSnapshotAction.Create, name));
        Assert.Empty(recording.Invocations());
    }

    public void Dispose() => _directory.Dispose();
}
