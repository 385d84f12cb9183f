using WebVirt.TestSupport;
using WebVirt.Hypervisor.Images;
using WebVirt.Shared.Vms;

namespace WebVirt.Hypervisor.Tests.Images;

/// <summary>Hostile arguments are refused before any qemu-img process starts.</summary>
public sealed class QemuImgValidationTests : IDisposable
{
    private readonly TempFolder _directory = new();
    private readonly RecordingQemuImg _recording;

    public QemuImgValidationTests()
    {
        _recording = new RecordingQemuImg(_directory);
    }

    public static TheoryData<string, string> HostilePaths => new()
    {
        { "relative/disk.qcow2", "absolute" },
        { "disk.qcow2", "absolute" },
        { "-f", "must not start with '-'" },
        { "--object=secret,id=x,data=y", "must not start with '-'" },
        { "/tmp/disk.qcow2\n-b", "control character" },
        { "/tmp/disk\r.qcow2", "control character" },
        { "/tmp/disk\0.qcow2", "control character" },
        { "/tmp/a,b.qcow2", "','" },
        { "/tmp/disk.qcow2,backing_file=/etc/shadow", "','" },
        { "/tmp/images/", "directory" },
        { "", "empty" },
    };

    public static TheoryData<string> Operations =>
    [
        "create", "clone", "clone-backing", "encrypted", "encrypted-secret", "info", "resize",
        "convert-source", "convert-destination", "check", "snapshots", "untrusted",
    ];

    [Theory]
    [MemberData(nameof(HostilePaths))]
    public async Task EveryOperation_HostilePath_RefusedWithoutRunningQemuImg(string hostile, string expected)
    {
        foreach (var operation in Operations)
        {
            var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => Run(operation, hostile));
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', error.Message.Split(" (Parameter")[0]);
        }

        Assert.Empty(_recording.Invocations());
    }

    [Fact]
    public async Task CreateLinkedCloneAsync_BackingPathWithOptionInjection_Refused()
    {
        var clone = _directory.Combine("clone.qcow2");
        var backing = _directory.Combine("base.raw,backing_fmt=qcow2");

        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => _recording.QemuImg.CreateLinkedCloneAsync(clone, backing, DiskFormat.Raw, CancellationToken.None));

        Assert.Equal("backingPath", error.ParamName);
        Assert.False(File.Exists(clone));
        Assert.Empty(_recording.Invocations());
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData((64L << 40) + 1)]
    [InlineData(long.MaxValue)]
    public async Task SizedOperations_SizeOutOfRange_Refused(long size)
    {
        var path = _directory.Combine("disk.qcow2");
        var secret = _directory.Combine("key");
        await File.WriteAllTextAsync(secret, "key");

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _recording.QemuImg.CreateAsync(path, DiskFormat.Qcow2, size, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _recording.QemuImg.CreateEncryptedAsync(path, size, secret, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _recording.QemuImg.ResizeAsync(path, DiskFormat.Qcow2, size, CancellationToken.None));
        Assert.Empty(_recording.Invocations());
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task CreateAsync_UndefinedFormat_Refused()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => _recording.QemuImg.CreateAsync(_directory.Combine("disk"), (DiskFormat)42, 1 << 20, CancellationToken.None));
        Assert.Empty(_recording.Invocations());
    }

    [Fact]
    public async Task QemuImg_ExecutableMissing_SaysWhatToInstall()
    {
        var qemuImg = new QemuImg(new QemuImgOptions { Path = "/nonexistent/qemu-img" });

        var error = await Assert.ThrowsAsync<ImageException>(() => qemuImg.InfoAsync(_directory.Combine("disk.qcow2")));

        Assert.StartsWith("qemu-img not found (/nonexistent/qemu-img): install Debian package qemu-utils", error.Message, StringComparison.Ordinal);
    }

    private Task Run(string operation, string hostile)
    {
        var good = _directory.Combine("good.qcow2");
        var none = CancellationToken.None;
        var qemuImg = _recording.QemuImg;
        return operation switch
        {
            "create" => qemuImg.CreateAsync(hostile, DiskFormat.Qcow2, 1 << 20, none),
            "clone" => qemuImg.CreateLinkedCloneAsync(hostile, good, DiskFormat.Qcow2, none),
            "clone-backing" => qemuImg.CreateLinkedCloneAsync(good, hostile, DiskFormat.Qcow2, none),
            "encrypted" => qemuImg.CreateEncryptedAsync(hostile, 1 << 20, good, none),
            "encrypted-secret" => qemuImg.CreateEncryptedAsync(good, 1 << 20, hostile, none),
            "info" => qemuImg.InfoAsync(hostile, DiskFormat.Qcow2, forceShare: true, none),
            "resize" => qemuImg.ResizeAsync(hostile, DiskFormat.Qcow2, 1 << 30, none),
            "convert-source" => qemuImg.ConvertAsync(hostile, DiskFormat.Raw, good, DiskFormat.Qcow2, false, null, none),
            "convert-destination" => qemuImg.ConvertAsync(good, DiskFormat.Raw, hostile, DiskFormat.Qcow2, false, null, none),
            "check" => qemuImg.CheckAsync(hostile, DiskFormat.Qcow2, none),
            "snapshots" => qemuImg.ListSnapshotsAsync(hostile, none),
            "untrusted" => qemuImg.InspectUntrustedAsync(hostile, none),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
        };
    }

    public void Dispose() => _directory.Dispose();
}
