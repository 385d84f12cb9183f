using WebVirt.TestSupport;
using WebVirt.Hypervisor.Images;

namespace WebVirt.Hypervisor.Tests.Images;

public sealed class QemuImgInspectUntrustedTests : IDisposable
{
    private readonly TempFolder _directory = new();

    [Fact]
    public async Task InspectUntrustedAsync_Qcow2WithBackingFile_RefusedBeforeQemuOpensIt()
    {
        var recording = new RecordingQemuImg(_directory);
        var path = _directory.Combine("upload.qcow2");
        await QemuImgTool.RunAsync("create", "-q", "-f", "qcow2", "-b", "/etc/passwd", "-F", "raw", path);

        var error = await Assert.ThrowsAsync<ImageException>(() => recording.QemuImg.InspectUntrustedAsync(path));

        Assert.Equal($"Image {path} refused: it names a backing file.", error.Message);
        Assert.Empty(recording.Invocations());
    }

    [Fact]
    public async Task InspectUntrustedAsync_Qcow2WithExternalDataFile_Refused()
    {
        var recording = new RecordingQemuImg(_directory);
        var path = _directory.Combine("upload.qcow2");
        await QemuImgTool.RunAsync("create", "-q", "-f", "qcow2", "-o", "data_file=" + _directory.Combine("data.raw"), path, "1M");

        var error = await Assert.ThrowsAsync<ImageException>(() => recording.QemuImg.InspectUntrustedAsync(path));

        Assert.Contains("external data file", error.Message, StringComparison.Ordinal);
        Assert.Empty(recording.Invocations());
    }

    [Fact]
    public async Task InspectUntrustedAsync_VmdkDescriptorNamedIso_RefusedBeforeQemuOpensItsExtent()
    {
        // qemu-img info would open /etc/passwd as this descriptor's extent.
        var recording = new RecordingQemuImg(_directory);
        var path = _directory.Combine("installer.iso");
        await File.WriteAllTextAsync(path, """
            # Disk DescriptorFile
            version=1
            CID=fffffffe
            parentCID=ffffffff
            createType="monolithicFlat"
            RW 8 FLAT "/etc/passwd" 0

            """);

        var error = await Assert.ThrowsAsync<ImageException>(() => recording.QemuImg.InspectUntrustedAsync(path));

        Assert.Contains("VMDK", error.Message, StringComparison.Ordinal);
        Assert.Empty(recording.Invocations());
    }

    [Fact]
    public async Task InspectUntrustedAsync_SparseVmdk_Refused()
    {
        var qemuImg = QemuImgTool.Create();
        var path = _directory.Combine("upload.vmdk");
        await QemuImgTool.RunAsync("create", "-q", "-f", "vmdk", path, "1M");

        var error = await Assert.ThrowsAsync<ImageException>(() => qemuImg.InspectUntrustedAsync(path));

        Assert.Contains("VMDK", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectUntrustedAsync_OtherProbedFormat_RefusedByQemuReport()
    {
        var qemuImg = QemuImgTool.Create();
        var path = _directory.Combine("upload.img");
        await QemuImgTool.RunAsync("create", "-q", "-f", "vdi", path, "1M");

        var error = await Assert.ThrowsAsync<ImageException>(() => qemuImg.InspectUntrustedAsync(path));

        Assert.Equal($"Image {path} refused: its format is \"vdi\"; only raw (including ISO) and qcow2 are accepted.", error.Message);
    }

    [Fact]
    public async Task InspectUntrustedAsync_Qcow2NamedIso_ReportedAsQcow2()
    {
        var qemuImg = QemuImgTool.Create();
        var path = _directory.Combine("installer.iso");
        await QemuImgTool.RunAsync("create", "-q", "-f", "qcow2", path, "1G");

        var info = await qemuImg.InspectUntrustedAsync(path);

        Assert.Equal("qcow2", info.Format);
        Assert.Equal(1L << 30, info.VirtualSize);
        Assert.Null(info.BackingFile);
    }

    [Fact]
    public async Task InspectUntrustedAsync_RandomBytes_ReportedAsRaw()
    {
        var qemuImg = QemuImgTool.Create();
        var path = _directory.Combine("blob.iso");
        TestImages.WriteRandomRaw(path, 1 << 20);

        var info = await qemuImg.InspectUntrustedAsync(path);

        Assert.Equal("raw", info.Format);
        Assert.Equal(1L << 20, info.VirtualSize);
    }

    [Fact]
    public async Task InspectUntrustedAsync_Iso9660_ReportedAsRaw()
    {
        // ISO 9660 keeps 32 KiB of system area, then the primary volume descriptor "\x01CD001\x01".
        var qemuImg = QemuImgTool.Create();
        var path = _directory.Combine("installer.iso");
        var image = new byte[1 << 20];
        "\u0001CD001\u0001"u8.CopyTo(image.AsSpan(32768));
        await File.WriteAllBytesAsync(path, image);

        var info = await qemuImg.InspectUntrustedAsync(path);

        Assert.Equal("raw", info.Format);
        Assert.Equal(1L << 20, info.VirtualSize);
    }

    [Fact]
    public async Task InspectUntrustedAsync_EncryptedQcow2_Refused()
    {
        var qemuImg = QemuImgTool.Create();
        var path = _directory.Combine("upload.qcow2");
        var secretFile = _directory.Combine("key");
        await File.WriteAllTextAsync(secretFile, "passphrase");
        await qemuImg.CreateEncryptedAsync(path, 1L << 20, secretFile, CancellationToken.None);

        var error = await Assert.ThrowsAsync<ImageException>(() => qemuImg.InspectUntrustedAsync(path));

        Assert.Contains("encrypted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectUntrustedAsync_EmptyFile_Refused()
    {
        var qemuImg = QemuImgTool.Create();
        var path = _directory.Combine("empty.iso");
        await File.WriteAllBytesAsync(path, []);

        var error = await Assert.ThrowsAsync<ImageException>(() => qemuImg.InspectUntrustedAsync(path));

        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectUntrustedAsync_Fifo_RefusedWithoutBlocking()
    {
        var recording = new RecordingQemuImg(_directory);
        var path = _directory.Combine("upload.iso");
        await QemuImgTool.RunToolAsync("mkfifo", path);

        var error = await Assert.ThrowsAsync<ImageException>(
            () => recording.QemuImg.InspectUntrustedAsync(path).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Contains("not a regular file", error.Message, StringComparison.Ordinal);
        Assert.Empty(recording.Invocations());
    }

    [Fact]
    public async Task InspectUntrustedAsync_SymbolicLink_Refused()
    {
        var recording = new RecordingQemuImg(_directory);
        var path = _directory.Combine("upload.iso");
        File.CreateSymbolicLink(path, "/etc/passwd");

        var error = await Assert.ThrowsAsync<ImageException>(() => recording.QemuImg.InspectUntrustedAsync(path));

        Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
        Assert.Empty(recording.Invocations());
    }

    [Fact]
    public async Task InspectUntrustedAsync_MissingFile_Refused()
    {
        var qemuImg = QemuImgTool.Create();

        var error = await Assert.ThrowsAsync<ImageException>(() => qemuImg.InspectUntrustedAsync(_directory.Combine("none.iso")));

        Assert.Contains("no such file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectUntrustedAsync_RunsUnderTheResourceLimits()
    {
        var path = _directory.Combine("disk.qcow2");
        await QemuImgTool.RunAsync("create", "-q", "-f", "qcow2", path, "1M");

        // With the limits set too low for qemu-img to even load, the inspection fails: they do apply to it.
        var starved = new QemuImg(new QemuImgOptions { UntrustedMemoryBytes = 4L << 20 });
        await Assert.ThrowsAsync<ImageException>(() => starved.InspectUntrustedAsync(path));
        Assert.Equal("qcow2", (await new QemuImg().InspectUntrustedAsync(path)).Format);
    }

    [Fact]
    public void Confinement_PutsPrlimitBeforeQemuImgAndKeepsItsArguments()
    {
        var (program, argv) = new QemuImgConfinement(new QemuImgOptions()).Wrap("qemu-img", ["info", "--output=json", "/pool/x"]);

        Assert.Equal("prlimit", program);
        Assert.Equal(["--as=1073741824", "--cpu=30", "--fsize=1048576", "--", "qemu-img", "info", "--output=json", "/pool/x"], argv);
    }

    [Fact]
    public void Confinement_WithAnAccount_DropsToItAfterTheLimits()
    {
        var options = new QemuImgOptions { UntrustedAccount = new ImageCheckAccount(1999999999, 987) };

        var (program, argv) = new QemuImgConfinement(options).Wrap("qemu-img", ["info", "/pool/x"]);

        Assert.Equal("prlimit", program);
        Assert.Equal(
            ["--as=1073741824", "--cpu=30", "--fsize=1048576", "--", "setpriv", "--reuid=1999999999", "--regid=987", "--clear-groups", "--no-new-privs", "--", "qemu-img", "info", "/pool/x"],
            argv);
    }

    [Fact]
    public async Task InspectUntrustedAsync_AsTheCheckAccount_ReadsALentFile_AndPutsItBackAsItWas()
    {
        var account = CheckAccount();
        var path = _directory.Combine("upload.qcow2");
        await QemuImgTool.RunAsync("create", "-q", "-f", "qcow2", path, "1M");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var info = await new QemuImg(new QemuImgOptions { UntrustedAccount = account }).InspectUntrustedAsync(path);

        Assert.Equal("qcow2", info.Format);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal("0:0", await QemuImgTool.OwnerAsync(path));
    }

    [Fact]
    public async Task InspectUntrustedAsync_AsTheCheckAccount_CannotReachWhatOnlyRootCan()
    {
        // Root reads anything; the check account passes no folder that shuts out its group and everyone else.
        var account = CheckAccount();
        var closed = Directory.CreateDirectory(_directory.Combine("closed"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute).FullName;
        var path = Path.Combine(closed, "upload.qcow2");
        await QemuImgTool.RunAsync("create", "-q", "-f", "qcow2", path, "1M");

        await Assert.ThrowsAsync<ImageException>(() => new QemuImg(new QemuImgOptions { UntrustedAccount = account }).InspectUntrustedAsync(path));
        Assert.Equal("qcow2", (await new QemuImg().InspectUntrustedAsync(path)).Format);
    }

    private static ImageCheckAccount CheckAccount() =>
        Environment.UserName == "root" && WebVirt.Hypervisor.Processes.QemuUserAccount.Find("webvirt-qemu") is { } qemu
            ? new ImageCheckAccount(1999999999, qemu.Gid)
            : throw new InvalidOperationException("This test runs as root on a host with the webvirt-qemu user: run it through ./test.sh, which creates that user.");

    [Fact]
    public async Task InspectUntrustedAsync_ProbesWithoutFormat()
    {
        var recording = new RecordingQemuImg(_directory);
        var path = _directory.Combine("disk.qcow2");
        await QemuImgTool.RunAsync("create", "-q", "-f", "qcow2", path, "1M");

        await recording.QemuImg.InspectUntrustedAsync(path);

        Assert.Equal(["info", "--output=json", path], recording.Invocations().Single());
    }

    [Fact]
    public void FindViolation_BackingFileInQemuReport_Refused()
    {
        // The header screen catches backing files first; the report check stands behind it.
        var info = new ImageInfo { Format = "qcow2", VirtualSize = 1 << 20, BackingFile = "/etc/passwd", BackingFormat = "raw" };

        Assert.Equal("it names a backing file", UntrustedImagePolicy.FindViolation(info));
    }

    [Fact]
    public void FindViolation_TooLarge_Refused()
    {
        var info = new ImageInfo { Format = "raw", VirtualSize = (64L << 40) + 1 };

        Assert.Contains("exceeds 64 TiB", UntrustedImagePolicy.FindViolation(info), StringComparison.Ordinal);
    }

    [Fact]
    public void FindViolation_CleanQcow2_Accepted()
    {
        Assert.Null(UntrustedImagePolicy.FindViolation(new ImageInfo { Format = "qcow2", VirtualSize = 1 << 30 }));
    }

    public void Dispose() => _directory.Dispose();
}
