using WebVirt.TestSupport;
using WebVirt.Hypervisor.Images;
using WebVirt.Shared.Vms;

namespace WebVirt.Hypervisor.Tests.Images;

public sealed class QemuImgInfoTests : IDisposable
{
    private readonly TempFolder _directory = new();

    [Fact]
    public async Task InfoAsync_MissingFile_CarriesQemuMessage()
    {
        var qemuImg = QemuImgTool.Create();
        var path = _directory.Combine("none.qcow2");

        var error = await Assert.ThrowsAsync<ImageException>(() => qemuImg.InfoAsync(path, DiskFormat.Qcow2));

        Assert.Equal($"qemu-img info failed for {path}: Could not open '{path}': Could not open '{path}': No such file or directory", error.Message);
    }

    [Fact]
    public async Task InfoAsync_RawOpenedAsQcow2_FailsInsteadOfGuessing()
    {
        var qemuImg = QemuImgTool.Create();
        var path = _directory.Combine("disk.raw");
        await qemuImg.CreateAsync(path, DiskFormat.Raw, 1L << 20, CancellationToken.None);

        var error = await Assert.ThrowsAsync<ImageException>(() => qemuImg.InfoAsync(path, DiskFormat.Qcow2));

        Assert.Contains("Image is not in qcow2 format", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InfoAsync_PassesFormatAndForceShare()
    {
        var recording = new RecordingQemuImg(_directory);
        var path = _directory.Combine("disk.qcow2");
        await recording.QemuImg.CreateAsync(path, DiskFormat.Qcow2, 1L << 20, CancellationToken.None);

        await recording.QemuImg.InfoAsync(path, DiskFormat.Qcow2, forceShare: true);

        Assert.Equal(["info", "--output=json", "-f", "qcow2", "-U", path], recording.Invocations()[^1]);
    }

    [Fact]
    public async Task ListSnapshotsAsync_Qcow2WithSnapshots_ListsThem()
    {
        var qemuImg = QemuImgTool.Create();
        var path = _directory.Combine("disk.qcow2");
        await qemuImg.CreateAsync(path, DiskFormat.Qcow2, 1L << 30, CancellationToken.None);
        var before = DateTimeOffset.UtcNow.AddSeconds(-2);
        await QemuImgTool.RunAsync("snapshot", "-c", "before-upgrade", path);
        await QemuImgTool.RunAsync("snapshot", "-c", "after-upgrade", path);

        var snapshots = await qemuImg.ListSnapshotsAsync(path, CancellationToken.None);

        Assert.Equal(["before-upgrade", "after-upgrade"], snapshots.Select(snapshot => snapshot.Name));
        Assert.Equal(["1", "2"], snapshots.Select(snapshot => snapshot.Id));
        Assert.All(snapshots, snapshot => Assert.Equal(0, snapshot.VmStateSize));
        Assert.All(snapshots, snapshot => Assert.InRange(snapshot.Date, before, DateTimeOffset.UtcNow.AddSeconds(2)));
    }

    [Fact]
    public async Task ListSnapshotsAsync_NewImage_Empty()
    {
        var qemuImg = QemuImgTool.Create();
        var path = _directory.Combine("disk.qcow2");
        await qemuImg.CreateAsync(path, DiskFormat.Qcow2, 1L << 30, CancellationToken.None);

        Assert.Empty(await qemuImg.ListSnapshotsAsync(path, CancellationToken.None));
    }

    public void Dispose() => _directory.Dispose();
}
