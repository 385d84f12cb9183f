using WebVirt.TestSupport;
using WebVirt.Hypervisor.Images;
using WebVirt.Shared.Vms;

namespace WebVirt.Hypervisor.Tests.Images;

public sealed class QemuImgCreateTests : IDisposable
{
    private const long OneGiB = 1L << 30;
    private readonly TempFolder _directory = new();

    [Fact]
    public async Task CreateAsync_Qcow2_InfoReportsFormatAndSizes()
    {
        var qemuImg = QemuImgTool.Create();
        var path = _directory.Combine("disk.qcow2");

        await qemuImg.CreateAsync(path, DiskFormat.Qcow2, OneGiB, CancellationToken.None);
        var info = await qemuImg.InfoAsync(path, DiskFormat.Qcow2);

        Assert.Equal("qcow2", info.Format);
        Assert.Equal(OneGiB, info.VirtualSize);
        Assert.Equal(65536, info.ClusterSize);
        Assert.InRange(info.ActualSize ?? -1, 1, 4L << 20);
        Assert.Null(info.BackingFile);
        Assert.False(info.Encrypted);
        Assert.False(info.Dirty);
        Assert.False(info.Corrupt);
        Assert.Empty(info.Snapshots);
    }

    [Fact]
    public async Task CreateAsync_Raw_InfoReportsFormatAndSizes()
    {
        var qemuImg = QemuImgTool.Create();
        var path = _directory.Combine("disk.raw");

        await qemuImg.CreateAsync(path, DiskFormat.Raw, 10L << 20, CancellationToken.None);
        var info = await qemuImg.InfoAsync(path, DiskFormat.Raw);

        Assert.Equal("raw", info.Format);
        Assert.Equal(10L << 20, info.VirtualSize);
        Assert.Equal(10L << 20, new FileInfo(path).Length);
        Assert.InRange(info.ActualSize ?? -1, 0, 10L << 20);
        Assert.Null(info.ClusterSize);
    }

    [Fact]
    public async Task CreateAsync_MaximumSize_Accepted()
    {
        var qemuImg = QemuImgTool.Create();
        var path = _directory.Combine("huge.qcow2");

        await qemuImg.CreateAsync(path, DiskFormat.Qcow2, 64L << 40, CancellationToken.None);

        Assert.Equal(64L << 40, (await qemuImg.InfoAsync(path, DiskFormat.Qcow2)).VirtualSize);
    }

    [Fact]
    public async Task CreateAsync_ExistingFile_RefusedAndLeftIntact()
    {
        var recording = new RecordingQemuImg(_directory);
        var path = _directory.Combine("precious.qcow2");
        await File.WriteAllTextAsync(path, "guest data");

        var error = await Assert.ThrowsAsync<ImageException>(
            () => recording.QemuImg.CreateAsync(path, DiskFormat.Qcow2, OneGiB, CancellationToken.None));

        Assert.Equal($"qemu-img create refused for {path}: the file already exists.", error.Message);
        Assert.Equal("guest data", await File.ReadAllTextAsync(path));
        Assert.Empty(recording.Invocations());
    }

    [Fact]
    public async Task CreateAsync_MissingDirectory_ThrowsAndCreatesNothing()
    {
        var qemuImg = QemuImgTool.Create();
        var path = _directory.Combine("missing/disk.qcow2");

        var error = await Assert.ThrowsAsync<ImageException>(
            () => qemuImg.CreateAsync(path, DiskFormat.Qcow2, OneGiB, CancellationToken.None));

        Assert.Equal($"qemu-img create failed for {path}: its directory does not exist.", error.Message);
        Assert.Empty(_directory.Entries());
    }

    [Fact]
    public async Task CreateLinkedCloneAsync_MissingBackingFile_CarriesQemuMessageAndRemovesTheFile()
    {
        var qemuImg = QemuImgTool.Create();
        var clonePath = _directory.Combine("clone.qcow2");
        var basePath = _directory.Combine("missing-base.qcow2");

        var error = await Assert.ThrowsAsync<ImageException>(
            () => qemuImg.CreateLinkedCloneAsync(clonePath, basePath, DiskFormat.Qcow2, CancellationToken.None));

        Assert.Equal(
            $"qemu-img create failed for {clonePath}: Could not open '{basePath}': No such file or directory; Could not open backing image.",
            error.Message);
        Assert.Equal(1, error.ExitCode);
        Assert.StartsWith("qemu-img: ", error.StandardError, StringComparison.Ordinal);
        Assert.Empty(_directory.Entries());
    }

    [Theory]
    [InlineData(DiskFormat.Qcow2)]
    [InlineData(DiskFormat.Raw)]
    public async Task CreateLinkedCloneAsync_InfoShowsBackingFileAndFormat(DiskFormat baseFormat)
    {
        var qemuImg = QemuImgTool.Create();
        var basePath = _directory.Combine("base.img");
        var clonePath = _directory.Combine("clone.qcow2");
        await qemuImg.CreateAsync(basePath, baseFormat, 256L << 20, CancellationToken.None);

        await qemuImg.CreateLinkedCloneAsync(clonePath, basePath, baseFormat, CancellationToken.None);
        var info = await qemuImg.InfoAsync(clonePath, DiskFormat.Qcow2);

        Assert.Equal("qcow2", info.Format);
        Assert.Equal(basePath, info.BackingFile);
        Assert.Equal(baseFormat == DiskFormat.Qcow2 ? "qcow2" : "raw", info.BackingFormat);
        Assert.Equal(256L << 20, info.VirtualSize);
    }

    [Fact]
    public async Task CreateEncryptedAsync_InfoShowsEncrypted_SecretNeverInArgv()
    {
        const string Passphrase = "correct horse battery staple";
        var recording = new RecordingQemuImg(_directory);
        var path = _directory.Combine("secret.qcow2");
        var secretFile = _directory.Combine("key");
        await File.WriteAllTextAsync(secretFile, Passphrase);

        await recording.QemuImg.CreateEncryptedAsync(path, 64L << 20, secretFile, CancellationToken.None);
        var info = await recording.QemuImg.InfoAsync(path, DiskFormat.Qcow2);

        Assert.True(info.Encrypted);
        Assert.Equal(64L << 20, info.VirtualSize);
        var create = recording.Invocations()[0];
        Assert.Equal("create", create[0]);
        Assert.Contains($"secret,id=sec0,file={secretFile}", create);
        Assert.Contains("encrypt.format=luks,encrypt.key-secret=sec0,encrypt.iter-time=10,encrypt.hash-alg=sha512", create);
        Assert.DoesNotContain(recording.Invocations().SelectMany(argv => argv), argument => argument.Contains("horse", StringComparison.Ordinal));
        Assert.DoesNotContain(
            QemuImgArguments.CreateEncrypted(path, 64L << 20, secretFile),
            argument => argument.Contains(Passphrase, StringComparison.Ordinal) || argument.Contains("data=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateEncryptedAsync_QemuCpuClockFlake_Retried()
    {
        // qemu 7.2 fails a LUKS create now and then with this message (its key-derivation timing saw 0 ms).
        var real = QemuImgTool.RequirePath();
        var failures = _directory.Combine("failures");
        var script = _directory.Combine("flaky-qemu-img");
        QemuImgTool.WriteScript(script, $"""
            #!/bin/sh
            if [ "$(wc -c < '{failures}' 2>/dev/null || echo 0)" -lt 2 ]; then
                printf x >> '{failures}'
                echo "qemu-img: $9: Unable to get accurate CPU usage" >&2
                exit 1
            fi
            exec '{real}' "$@"

            """);
        var qemuImg = new QemuImg(new QemuImgOptions { Path = script });
        var path = _directory.Combine("secret.qcow2");
        var secretFile = _directory.Combine("key");
        await File.WriteAllTextAsync(secretFile, "passphrase");

        await qemuImg.CreateEncryptedAsync(path, 1L << 20, secretFile, CancellationToken.None);

        Assert.Equal("xx", await File.ReadAllTextAsync(failures));
        Assert.True((await qemuImg.InfoAsync(path, DiskFormat.Qcow2)).Encrypted);
    }

    [Fact]
    public async Task CreateEncryptedAsync_MissingSecretFile_RefusedBeforeRunning()
    {
        var recording = new RecordingQemuImg(_directory);
        var path = _directory.Combine("secret.qcow2");

        var error = await Assert.ThrowsAsync<ImageException>(
            () => recording.QemuImg.CreateEncryptedAsync(path, OneGiB, _directory.Combine("no-key"), CancellationToken.None));

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.Empty(recording.Invocations());
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task CreateEncryptedAsync_EmptySecretFile_RefusedBeforeRunning()
    {
        // qemu-img 7.2 itself accepts an empty passphrase and creates the image.
        var recording = new RecordingQemuImg(_directory);
        var path = _directory.Combine("secret.qcow2");
        var secretFile = _directory.Combine("empty-key");
        await File.WriteAllTextAsync(secretFile, "");

        var error = await Assert.ThrowsAsync<ImageException>(
            () => recording.QemuImg.CreateEncryptedAsync(path, OneGiB, secretFile, CancellationToken.None));

        Assert.Contains("is empty", error.Message, StringComparison.Ordinal);
        Assert.Empty(recording.Invocations());
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task CreateAsync_Cancelled_RunsNothingAndLeavesNothing()
    {
        var recording = new RecordingQemuImg(_directory);
        var path = _directory.Combine("disk.qcow2");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => recording.QemuImg.CreateAsync(path, DiskFormat.Qcow2, OneGiB, new CancellationToken(canceled: true)));

        Assert.False(File.Exists(path));
        Assert.Empty(recording.Invocations());
    }

    public void Dispose() => _directory.Dispose();
}
