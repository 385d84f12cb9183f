using WebVirt.TestSupport;
using WebVirt.Hypervisor.CommandLine;
using WebVirt.Hypervisor.Images;
using WebVirt.Hypervisor.Tests.Images;
using WebVirt.Shared.Vms;

namespace WebVirt.Hypervisor.Tests.CommandLine;

public sealed class QemuOptionStringTests : IDisposable
{
    private readonly TempFolder _directory = new();

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "a,,b")]
    [InlineData(",,", ",,,,")]
    [InlineData("/x,backing_fmt=qcow2", "/x,,backing_fmt=qcow2")]
    public void Escape_DoublesCommas(string value, string expected)
    {
        Assert.Equal(expected, QemuOptionString.Escape(value));
    }

    [Fact]
    public void Add_ValueWithComma_StaysOneParameter()
    {
        var text = new QemuOptionString("socket").Add("path", "/a,server=off").Add("wait", false).ToString();

        Assert.Equal("socket,path=/a,,server=off,wait=off", text);
        Assert.Equal(["socket", "path=/a,server=off", "wait=off"], QemuOptionParser.SplitParameters(text));
    }

    [Fact]
    public void CreateEncryptedArguments_SecretPathWithComma_StaysOneValue()
    {
        var arguments = QemuImgArguments.CreateEncrypted("/images/disk.qcow2", 1 << 20, "/keys/k,data=leak");

        Assert.Contains("secret,id=sec0,file=/keys/k,,data=leak", arguments);
    }

    /// <summary>Proves the escaping rule against the real qemu-img: the injected key stays part of the file name.</summary>
    [Fact]
    public async Task Escape_BackingPathWithComma_RealQemuImgReadsOneValue()
    {
        var qemuImg = QemuImgTool.Create();
        var basePath = _directory.Combine("base,backing_fmt=qcow2,size=1T.raw");
        var clonePath = _directory.Combine("clone.qcow2");
        await File.WriteAllBytesAsync(basePath, new byte[1 << 20]);

        await QemuImgTool.RunAsync(
            "create", "-q", "-f", "qcow2",
            "-o", new QemuOptionString().Add("backing_file", basePath).Add("backing_fmt", "raw").ToString(),
            clonePath);
        var info = await qemuImg.InfoAsync(clonePath, DiskFormat.Qcow2);

        Assert.Equal(basePath, info.BackingFile);
        Assert.Equal("raw", info.BackingFormat);
        Assert.Equal(1L << 20, info.VirtualSize);
    }

    public void Dispose() => _directory.Dispose();
}
