using WebVirt.Hypervisor.Images;
using WebVirt.Shared.Vms;
using WebVirt.TestSupport;

namespace WebVirt.Hypervisor.Tests.Images;

/// <summary>Copies, linked clones, checks and snapshots of LUKS-encrypted qcow2 images with the real qemu-img (and qemu-io to write and read data).</summary>
public sealed class QemuImgEncryptedTests : IDisposable
{
    private const string Passphrase = "tr0ub4dor-and-3";
    private readonly TempFolder _directory = new();

    [Fact]
    public async Task ConvertEncryptedAsync_CopyIsEncryptedWithTheSameKey_NoClearData_ChecksClean_KeyNeverInArgv()
    {
        var recording = new RecordingQemuImg(_directory);
        var key = await WriteKeyAsync();
        var source = _directory.Combine("source.qcow2");
        var copy = _directory.Combine("copy.qcow2");
        await recording.QemuImg.CreateEncryptedAsync(source, 16L << 20, key);
        await QemuIoAsync(source, key, "write -P 0x5a 1M 1M");
        var progress = new RecordingProgress();

        await recording.QemuImg.ConvertEncryptedAsync(source, copy, key, progress);

        var info = await recording.QemuImg.InfoAsync(copy, DiskFormat.Qcow2);
        Assert.True(info.Encrypted);
        Assert.Equal(16L << 20, info.VirtualSize);
        Assert.Equal(100, progress.Values[^1]);
        Assert.False(HasClearPattern(copy), "the copy holds the written data in clear text");
        await QemuIoAsync(copy, key, "read -P 0x5a 1M 1M");
        var check = await recording.QemuImg.CheckEncryptedAsync(copy, key);
        Assert.Equal((0, 0), (check.Corruptions, check.CheckErrors));
        await Assert.ThrowsAsync<ImageException>(() => recording.QemuImg.CheckAsync(copy, DiskFormat.Qcow2));
        Assert.DoesNotContain(recording.Invocations().SelectMany(argv => argv), argument => argument.Contains(Passphrase, StringComparison.Ordinal));
        Assert.DoesNotContain(recording.Invocations().SelectMany(argv => argv), argument => argument.Contains("data=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateEncryptedLinkedCloneAsync_OverlayEncrypted_ReadsTheTemplateThroughTheChain_FlattensEncrypted()
    {
        var qemuImg = QemuImgTool.Create();
        var key = await WriteKeyAsync();
        var template = _directory.Combine("template.qcow2");
        var clone = _directory.Combine("clone.qcow2");
        var flat = _directory.Combine("flat.qcow2");
        await qemuImg.CreateEncryptedAsync(template, 16L << 20, key);
        await QemuIoAsync(template, key, "write -P 0x5a 0 1M");

        await qemuImg.CreateEncryptedLinkedCloneAsync(clone, template, key);
        await QemuIoAsync(clone, key, "write -P 0x5a 2M 1M");

        var info = await qemuImg.InfoAsync(clone, DiskFormat.Qcow2);
        Assert.True(info.Encrypted);
        Assert.Equal(template, info.BackingFile);
        Assert.False(HasClearPattern(clone), "the overlay holds what the clone wrote in clear text");
        Assert.Contains($"backing.file.filename={template}", EncryptedImageOptions.ForFile(clone, "k").ToString(), StringComparison.Ordinal);

        // Growing the clone opens its encrypted template too: the key must be named along the chain.
        await qemuImg.ResizeEncryptedAsync(clone, 24L << 20, key);
        Assert.Equal(24L << 20, (await qemuImg.InfoAsync(clone, DiskFormat.Qcow2)).VirtualSize);
        await QemuIoAsync(clone, key, "read -P 0x5a 0 1M");

        await qemuImg.ConvertEncryptedAsync(clone, flat, key, null);
        var flattened = await qemuImg.InfoAsync(flat, DiskFormat.Qcow2);
        Assert.True(flattened.Encrypted);
        Assert.Null(flattened.BackingFile);
        await QemuIoAsync(flat, key, "read -P 0x5a 0 1M");
        await QemuIoAsync(flat, key, "read -P 0x5a 2M 1M");
    }

    [Fact]
    public async Task SnapshotEncryptedAsync_CreatesAppliesAndDeletes_WhereThePlainCallFailsWithoutTheKey()
    {
        var qemuImg = QemuImgTool.Create();
        var key = await WriteKeyAsync();
        var image = _directory.Combine("disk.qcow2");
        await qemuImg.CreateEncryptedAsync(image, 16L << 20, key);

        await Assert.ThrowsAsync<ImageException>(() => qemuImg.SnapshotAsync(image, ImageSnapshotAction.Create, "plain"));
        await qemuImg.SnapshotEncryptedAsync(image, ImageSnapshotAction.Create, "first", key);
        await QemuIoAsync(image, key, "write -P 0x5a 0 1M");
        await qemuImg.SnapshotEncryptedAsync(image, ImageSnapshotAction.Apply, "first", key);
        await QemuIoAsync(image, key, "read -P 0 0 1M");
        Assert.Equal(["first"], (await qemuImg.ListSnapshotsAsync(image)).Select(s => s.Name));

        await qemuImg.SnapshotEncryptedAsync(image, ImageSnapshotAction.Delete, "first", key);
        Assert.Empty(await qemuImg.ListSnapshotsAsync(image));
    }

    [Fact]
    public async Task EncryptedCalls_WithoutASecretFile_RefusedBeforeQemuImgRuns()
    {
        var qemuImg = QemuImgTool.Create();
        var empty = _directory.Combine("empty.key");
        await File.WriteAllTextAsync(empty, "");
        var image = _directory.Combine("x.qcow2");

        await Assert.ThrowsAsync<ImageException>(() => qemuImg.ConvertEncryptedAsync(image, _directory.Combine("y.qcow2"), _directory.Combine("missing.key"), null));
        await Assert.ThrowsAsync<ImageException>(() => qemuImg.CheckEncryptedAsync(image, empty));
        await Assert.ThrowsAsync<ImageException>(() => qemuImg.CreateEncryptedLinkedCloneAsync(image, _directory.Combine("base.qcow2"), empty));
        Assert.False(File.Exists(image));
    }

    public void Dispose() => _directory.Dispose();

    private async Task<string> WriteKeyAsync()
    {
        var key = _directory.Combine("key");
        await File.WriteAllTextAsync(key, Passphrase);
        return key;
    }

    /// <summary>Runs qemu-io on the encrypted image (and its encrypted backing chain); a failed pattern check fails the test.</summary>
    private static async Task QemuIoAsync(string image, string keyFile, string command)
    {
        var result = await QemuImgProcess.RunAsync(
            "qemu-io",
            ["--object", $"secret,id=k,file={keyFile}", "--image-opts", EncryptedImageOptions.ForFile(image, "k").ToString(), "-c", command],
            null,
            CancellationToken.None);
        Assert.True(
            result.ExitCode == 0 && !result.StandardOutput.Contains("fail", StringComparison.OrdinalIgnoreCase),
            $"qemu-io '{command}' on {image}: {result.ExitCode} {result.StandardOutput} {result.StandardError}");
    }

    /// <summary>Whether the file holds a 4 KiB run of the 0x5a pattern qemu-io wrote: data in clear text.</summary>
    private static bool HasClearPattern(string path)
    {
        var run = new byte[4096];
        Array.Fill(run, (byte)0x5a);
        return File.ReadAllBytes(path).AsSpan().IndexOf(run) >= 0;
    }
}
