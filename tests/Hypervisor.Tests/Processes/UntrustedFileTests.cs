using System.Diagnostics;
using WebVirt.Hypervisor.Interop;
using WebVirt.TestSupport;

namespace WebVirt.Hypervisor.Tests.Processes;

/// <summary>Reading what QEMU may have planted in its run folder, on the real file system.</summary>
public sealed class UntrustedFileTests : IDisposable
{
    private readonly TempFolder _folder = new("wvu");

    [Fact]
    public void Read_RegularFile_GivesItsBytes()
    {
        var path = _folder.Combine("screen.png");
        File.WriteAllBytes(path, [1, 2, 3]);

        Assert.Equal([1, 2, 3], Native.ReadUntrustedRegularFile(path, 10, out _));
    }

    [Fact]
    public void Read_SymbolicLinkToASecret_IsRefusedWithoutFollowingIt()
    {
        var secret = _folder.Combine("secret");
        File.WriteAllText(secret, "root:hash");
        var path = _folder.Combine("screen.png");
        File.CreateSymbolicLink(path, secret);

        Assert.Null(Native.ReadUntrustedRegularFile(path, 1000, out var error));
        Assert.Equal("it is a symbolic link", error);
    }

    [Fact]
    public void Read_Fifo_IsRefusedWithoutWaitingForAWriter()
    {
        var path = _folder.Combine("screen.png");
        using (var mkfifo = Process.Start("mkfifo", [path]))
        {
            mkfifo.WaitForExit();
        }

        Assert.Null(Native.ReadUntrustedRegularFile(path, 1000, out var error));
        Assert.Equal("it is not a regular file", error);
    }

    [Fact]
    public void Read_Device_IsRefused()
    {
        Assert.Null(Native.ReadUntrustedRegularFile("/dev/zero", 1000, out var error));
        Assert.Equal("it is not a regular file", error);
    }

    [Fact]
    public void Read_FileOverTheCap_IsRefusedUnread()
    {
        var path = _folder.Combine("screen.png");
        File.WriteAllBytes(path, new byte[2048]);

        Assert.Null(Native.ReadUntrustedRegularFile(path, 1024, out var error));
        Assert.Equal("it holds 2048 bytes, more than the 1024 allowed", error);
    }

    public void Dispose() => _folder.Dispose();
}
