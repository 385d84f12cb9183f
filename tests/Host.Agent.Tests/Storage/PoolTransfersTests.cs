using System.Diagnostics;
using System.Security.Cryptography;
using WebVirt.Host.Agent.Tests.Vms;
using WebVirt.Host.Agent.Vms;
using WebVirt.Hypervisor.Processes;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Storage;
using WebVirt.Shared.Tunnels;

namespace WebVirt.Host.Agent.Tests.Storage;

/// <summary>Uploads into a pool through the agent's transfer code, with real files and the real qemu-img.</summary>
public sealed class PoolTransfersTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int ChunkBytes = 4 << 20;
    private AgentTestFolders _folders = null!;
    private TestAgent _host = null!;

    public async Task InitializeAsync()
    {
        _folders = new AgentTestFolders(output);
        _host = await _folders.StartHostAsync();
    }

    public async Task DisposeAsync() => await _folders.DisposeAsync();

    private string PartialFolder => Path.Combine(_folders.Pool, ".partial");

    [Fact]
    public async Task Upload_InterruptedAndResumed_StoresTheIsoWithItsSha256AndLeavesNoPartial()
    {
        var iso = await File.ReadAllBytesAsync(_folders.Guest.IsoPath);
        var name = "guest.iso";

        // Two whole chunks, then a chunk cut off half-way as when a browser tab closes.
        for (var offset = 0L; offset < 2L * ChunkBytes; offset += ChunkBytes)
        {
            var result = await UploadAsync(name, iso, offset, ChunkBytes);
            Assert.True(result.Ok, result.Error);
            Assert.Equal(offset + ChunkBytes, result.ReceivedBytes);
            Assert.False(result.Complete);
        }

        var cut = await _host.Transfers.ReceiveAsync(
            new UploadTarget(_folders.Pool, name, 2L * ChunkBytes, ChunkBytes, iso.Length), Chunks.Of(iso, 2L * ChunkBytes, 1000), CancellationToken.None);
        Assert.False(cut.Ok);
        Assert.Equal(2L * ChunkBytes + 1000, cut.ReceivedBytes);

        // The client asks where to go on, and a chunk at any other offset is refused.
        var status = await _host.Commands.GetUploadStatus(_folders.Pool, name);
        Assert.True(status.Result.Ok, status.Result.Error);
        Assert.Equal(2L * ChunkBytes + 1000, status.ReceivedBytes);
        var wrong = await UploadAsync(name, iso, ChunkBytes, ChunkBytes);
        Assert.Equal(AgentErrorKind.Conflict, wrong.ErrorKind);

        // A new agent (the old one's running hash is lost) resumes from the file.
        await _host.DisposeAsync();
        await using var restarted = await _folders.StartHostAsync();
        UploadResult last = null!;
        for (var offset = status.ReceivedBytes; offset < iso.Length; offset += ChunkBytes)
        {
            last = await restarted.Transfers.ReceiveAsync(
                new UploadTarget(_folders.Pool, name, offset, Math.Min(ChunkBytes, iso.Length - offset), iso.Length) { ExpectedSha256 = Sha256(iso) },
                Chunks.Of(iso, offset, Math.Min(ChunkBytes, iso.Length - offset)), CancellationToken.None);
            Assert.True(last.Ok, last.Error);
        }

        Assert.True(last.Complete);
        Assert.Equal("raw", last.Format);
        Assert.Equal(Sha256(iso), last.Sha256);
        Assert.Equal(Path.Combine(_folders.Pool, name), last.Path);
        Assert.Equal(iso, await File.ReadAllBytesAsync(last.Path!));
        Assert.Empty(Directory.EnumerateFiles(PartialFolder));
        // Readable by the VMs' QEMU through their shared group, by no other user.
        Assert.Equal("-rw-r-----", UnixMode(last.Path!));
        if (Environment.UserName == "root" && QemuUserAccount.Find("webvirt-qemu") is { } qemu)
        {
            Assert.Equal(qemu.Gid.ToString(System.Globalization.CultureInfo.InvariantCulture), GroupOf(last.Path!));
        }

        var content = await restarted.Commands.ListPoolContent(_folders.Pool);
        Assert.Contains(content.Files, f => f.Name == name && f.Kind == PoolFileKind.Iso && f.SizeBytes == iso.Length);
    }

    [Fact]
    public async Task Upload_OfAnExistingName_IsRefused()
    {
        var iso = await File.ReadAllBytesAsync(_folders.Guest.IsoPath);
        Assert.True((await UploadWholeAsync("taken.iso", iso)).Complete);

        var again = await UploadAsync("taken.iso", iso, 0, ChunkBytes);

        Assert.Equal(AgentErrorKind.Conflict, again.ErrorKind);
        Assert.Contains("already exists", again.Error);
        Assert.Empty(Directory.EnumerateFiles(PartialFolder));
    }

    [Fact]
    public async Task Upload_Qcow2WithBackingFileEtcPasswd_IsRefusedAsImageAndAsIso_LeavingNothing()
    {
        var hostile = Path.Combine(_folders.Root, "hostile.qcow2");
        QemuImgCreate("-f", "qcow2", "-b", "/etc/passwd", "-F", "raw", hostile, "1M");
        var bytes = await File.ReadAllBytesAsync(hostile);

        var asImage = await UploadWholeAsync("evil.qcow2", bytes);
        var asIso = await UploadWholeAsync("evil.iso", bytes);

        Assert.False(asImage.Ok);
        Assert.Contains("backing file", asImage.Error);
        Assert.False(asIso.Ok);
        AssertNothingLeft("evil.qcow2", "evil.iso");
    }

    [Fact]
    public async Task Upload_RandomBytesNamedIso_IsRefusedLeavingNothing()
    {
        var random = RandomNumberGenerator.GetBytes(3 << 20);

        var result = await UploadWholeAsync("random.iso", random);

        Assert.False(result.Ok);
        Assert.Contains("not an ISO 9660 image", result.Error);
        AssertNothingLeft("random.iso");
    }

    [Fact]
    public async Task Upload_IsoNamedQcow2_IsRefusedLeavingNothing()
    {
        var iso = await File.ReadAllBytesAsync(_folders.Guest.IsoPath);

        var result = await UploadWholeAsync("disguised.qcow2", iso);

        Assert.False(result.Ok);
        Assert.Contains("not qcow2", result.Error);
        AssertNothingLeft("disguised.qcow2");
    }

    [Fact]
    public async Task Upload_WithAWrongExpectedSha256_IsRefusedLeavingNothing()
    {
        var iso = await File.ReadAllBytesAsync(_folders.Guest.IsoPath);
        var expected = new string('a', 64);

        var result = await _host.Transfers.ReceiveAsync(
            new UploadTarget(_folders.Pool, "checked.iso", 0, iso.Length, iso.Length) { ExpectedSha256 = expected }, Chunks.Of(iso, 0, iso.Length), CancellationToken.None);

        Assert.False(result.Ok);
        Assert.Contains(Sha256(iso), result.Error);
        AssertNothingLeft("checked.iso");
    }

    [Theory]
    [InlineData("../x.iso")]
    [InlineData("a/b.iso")]
    [InlineData("/etc/x.iso")]
    [InlineData("..")]
    [InlineData(".hidden.iso")]
    [InlineData("notes.txt")]
    [InlineData("")]
    [InlineData("x\n.iso")]
    public async Task Upload_WithABadFileName_IsRefusedBeforeAnythingIsWritten(string name)
    {
        var bytes = new byte[1024];
        var target = new UploadTarget(_folders.Pool, name, 0, bytes.Length, bytes.Length);

        var check = _host.Transfers.Check(target);
        var result = await _host.Transfers.ReceiveAsync(target, Chunks.Of(bytes, 0, bytes.Length), CancellationToken.None);

        Assert.NotNull(check);
        Assert.Equal(AgentErrorKind.Invalid, result.ErrorKind);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folders.Pool));
        Assert.False(File.Exists(Path.Combine(_folders.Root, "x.iso")));
    }

    [Fact]
    public async Task Upload_IntoAFolderThatIsNotAPool_IsRefused()
    {
        var elsewhere = Directory.CreateDirectory(Path.Combine(_folders.Root, "elsewhere")).FullName;
        var bytes = new byte[1024];

        var result = await _host.Transfers.ReceiveAsync(new UploadTarget(elsewhere, "x.iso", 0, bytes.Length, bytes.Length), Chunks.Of(bytes, 0, bytes.Length), CancellationToken.None);

        Assert.Equal(AgentErrorKind.Invalid, result.ErrorKind);
        Assert.Contains("not a storage pool", result.Error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(elsewhere));
    }

    [Fact]
    public async Task Upload_LargerThanThePoolsFreeSpace_IsRefused()
    {
        var bytes = new byte[1024];

        var result = await _host.Transfers.ReceiveAsync(new UploadTarget(_folders.Pool, "huge.iso", 0, bytes.Length, 1L << 60), Chunks.Of(bytes, 0, bytes.Length), CancellationToken.None);

        Assert.Equal(AgentErrorKind.Invalid, result.ErrorKind);
        Assert.Contains("free", result.Error);
        AssertNothingLeft("huge.iso");
    }

    [Fact]
    public async Task Discard_DeletesAnUnfinishedUpload()
    {
        var iso = await File.ReadAllBytesAsync(_folders.Guest.IsoPath);
        Assert.True((await UploadAsync("half.iso", iso, 0, ChunkBytes)).Ok);
        Assert.Contains((await _host.Commands.ListPoolContent(_folders.Pool)).Files, f => f.Name == "half.iso" && f.Kind == PoolFileKind.Partial);

        var reply = await _host.Commands.DiscardUpload(_folders.Pool, "half.iso");

        Assert.True(reply.Ok, reply.Error);
        AssertNothingLeft("half.iso");
        Assert.Equal(0, (await _host.Commands.GetUploadStatus(_folders.Pool, "half.iso")).ReceivedBytes);
    }

    [Fact]
    public async Task Discard_InAPoolThatNeverHadATransfer_Succeeds()
    {
        Assert.False(Directory.Exists(PartialFolder));

        var reply = await _host.Commands.DiscardUpload(_folders.Pool, "never.iso");

        Assert.True(reply.Ok, reply.Error);
    }

    private Task<UploadResult> UploadAsync(string name, byte[] data, long offset, long length) =>
        _host.Transfers.ReceiveAsync(new UploadTarget(_folders.Pool, name, offset, length, data.Length), Chunks.Of(data, offset, length), CancellationToken.None);

    private async Task<UploadResult> UploadWholeAsync(string name, byte[] data)
    {
        UploadResult result = null!;
        for (var offset = 0L; offset < data.Length; offset += ChunkBytes)
        {
            result = await UploadAsync(name, data, offset, Math.Min(ChunkBytes, data.Length - offset));
            if (!result.Ok)
            {
                return result;
            }
        }

        return result;
    }

    private void AssertNothingLeft(params string[] names)
    {
        foreach (var name in names)
        {
            Assert.False(File.Exists(Path.Combine(_folders.Pool, name)), $"{name} is not in the pool");
            Assert.False(File.Exists(Path.Combine(PartialFolder, name)), $"no partial {name} is left");
        }
    }

    private static string Sha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private static string UnixMode(string path)
    {
        var mode = File.GetUnixFileMode(path);
        return "-" + string.Concat(new[] { UnixFileMode.UserRead, UnixFileMode.UserWrite, UnixFileMode.UserExecute, UnixFileMode.GroupRead, UnixFileMode.GroupWrite, UnixFileMode.GroupExecute, UnixFileMode.OtherRead, UnixFileMode.OtherWrite, UnixFileMode.OtherExecute }
            .Select((flag, i) => mode.HasFlag(flag) ? "rwx"[i % 3] : '-'));
    }

    private static string GroupOf(string path)
    {
        var start = new ProcessStartInfo("stat") { RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("%g");
        start.ArgumentList.Add(path);
        using var stat = Process.Start(start)!;
        var group = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return group;
    }

    private static void QemuImgCreate(params string[] arguments)
    {
        var start = new ProcessStartInfo("qemu-img") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("create");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"qemu-img create failed: {process.StandardError.ReadToEnd()}");
    }
}
