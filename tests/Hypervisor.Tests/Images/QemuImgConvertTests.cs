using WebVirt.TestSupport;
using WebVirt.Hypervisor.Images;
using WebVirt.Shared.Vms;

namespace WebVirt.Hypervisor.Tests.Images;

public sealed class QemuImgConvertTests : IDisposable
{
    private readonly TempFolder _directory = new();

    [Fact]
    public async Task ConvertAsync_CompressedQcow2_ReportsProgressToHundredAndShrinks()
    {
        var qemuImg = QemuImgTool.Create();
        var source = _directory.Combine("source.raw");
        var destination = _directory.Combine("compressed.qcow2");
        TestImages.WritePatternedRaw(source, 64L << 20, patternBytes: 16 << 20);
        var progress = new RecordingProgress();

        await qemuImg.ConvertAsync(source, DiskFormat.Raw, destination, DiskFormat.Qcow2, compress: true, progress, CancellationToken.None);

        Assert.NotEmpty(progress.Values);
        Assert.Equal(100, progress.Values[^1]);
        Assert.Equal(progress.Values.Order(), progress.Values);
        Assert.All(progress.Values, value => Assert.InRange(value, 0, 100));
        Assert.True(
            new FileInfo(destination).Length < new FileInfo(source).Length / 10,
            $"compressed {new FileInfo(destination).Length} bytes, source {new FileInfo(source).Length}");
        var info = await qemuImg.InfoAsync(destination, DiskFormat.Qcow2);
        Assert.Equal(64L << 20, info.VirtualSize);
        await QemuImgTool.RunAsync("compare", "-q", "-f", "raw", "-F", "qcow2", source, destination);
        Assert.Equal(["compressed.qcow2", "source.raw"], _directory.Entries());
    }

    [Fact]
    public async Task ConvertAsync_Qcow2ToRaw_CopiesContent()
    {
        var qemuImg = QemuImgTool.Create();
        var original = _directory.Combine("original.raw");
        var qcow2 = _directory.Combine("disk.qcow2");
        var raw = _directory.Combine("flat.raw");
        TestImages.WritePatternedRaw(original, 8L << 20, patternBytes: 1 << 20);
        await qemuImg.ConvertAsync(original, DiskFormat.Raw, qcow2, DiskFormat.Qcow2, compress: false, progress: null, CancellationToken.None);

        await qemuImg.ConvertAsync(qcow2, DiskFormat.Qcow2, raw, DiskFormat.Raw, compress: false, progress: null, CancellationToken.None);

        Assert.Equal(await File.ReadAllBytesAsync(original), await File.ReadAllBytesAsync(raw));
    }

    [Fact]
    public async Task ConvertAsync_Cancelled_KillsQemuImgAndLeavesNoDestination()
    {
        var qemuImg = QemuImgTool.Create();
        var source = _directory.Combine("random.raw");
        var destination = _directory.Combine("copy.qcow2");
        TestImages.WriteRandomRaw(source, 128 << 20);
        using var cancellation = new CancellationTokenSource();
        var progress = new RecordingProgress(_ => cancellation.Cancel());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => qemuImg.ConvertAsync(source, DiskFormat.Raw, destination, DiskFormat.Qcow2, compress: true, progress, cancellation.Token));

        Assert.NotEmpty(progress.Values);
        Assert.DoesNotContain(100, progress.Values);
        Assert.Equal(["random.raw"], _directory.Entries());
        Assert.Empty(ProcessesMentioning(_directory.Path));
    }

    [Fact]
    public async Task ConvertAsync_ProgressCallbackThrows_KillsQemuImgAndRethrows()
    {
        var qemuImg = QemuImgTool.Create();
        var source = _directory.Combine("random.raw");
        var destination = _directory.Combine("copy.qcow2");
        TestImages.WriteRandomRaw(source, 64 << 20);
        var progress = new RecordingProgress(_ => throw new InvalidOperationException("UI went away"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => qemuImg.ConvertAsync(source, DiskFormat.Raw, destination, DiskFormat.Qcow2, compress: true, progress, CancellationToken.None));

        Assert.Equal("UI went away", error.Message);
        Assert.Equal(["random.raw"], _directory.Entries());
        Assert.Empty(ProcessesMentioning(_directory.Path));
    }

    [Fact]
    public async Task ConvertAsync_ExistingDestination_RefusedAndLeftIntact()
    {
        var recording = new RecordingQemuImg(_directory);
        var source = _directory.Combine("source.raw");
        var destination = _directory.Combine("existing.qcow2");
        TestImages.WritePatternedRaw(source, 1L << 20, patternBytes: 4096);
        await File.WriteAllTextAsync(destination, "keep me");

        var error = await Assert.ThrowsAsync<ImageException>(
            () => recording.QemuImg.ConvertAsync(source, DiskFormat.Raw, destination, DiskFormat.Qcow2, false, null, CancellationToken.None));

        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
        Assert.Equal("keep me", await File.ReadAllTextAsync(destination));
        Assert.Empty(recording.Invocations());
    }

    [Fact]
    public async Task ConvertAsync_MissingSource_ThrowsAndLeavesNoDestination()
    {
        var qemuImg = QemuImgTool.Create();
        var source = _directory.Combine("missing.raw");
        var destination = _directory.Combine("copy.qcow2");

        var error = await Assert.ThrowsAsync<ImageException>(
            () => qemuImg.ConvertAsync(source, DiskFormat.Raw, destination, DiskFormat.Qcow2, false, null, CancellationToken.None));

        Assert.Contains($"Could not open '{source}'", error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"qemu-img convert failed for {destination}: ", error.Message, StringComparison.Ordinal);
        Assert.Empty(_directory.Entries());
    }

    [Fact]
    public async Task ConvertAsync_CompressToRaw_RefusedBeforeRunning()
    {
        var recording = new RecordingQemuImg(_directory);

        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => recording.QemuImg.ConvertAsync(
                _directory.Combine("a.qcow2"), DiskFormat.Qcow2, _directory.Combine("b.raw"), DiskFormat.Raw, compress: true, null, CancellationToken.None));

        Assert.Equal("compress", error.ParamName);
        Assert.Empty(recording.Invocations());
    }

    [Fact]
    public async Task ConvertAsync_SameSourceAndDestination_Refused()
    {
        var qemuImg = QemuImgTool.Create();
        var path = _directory.Combine("a.qcow2");

        await Assert.ThrowsAsync<ArgumentException>(
            () => qemuImg.ConvertAsync(path, DiskFormat.Qcow2, path, DiskFormat.Qcow2, false, null, CancellationToken.None));
    }

    private static List<int> ProcessesMentioning(string text)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(directory, "cmdline")).Contains(text, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }

        return found;
    }

    public void Dispose() => _directory.Dispose();
}
