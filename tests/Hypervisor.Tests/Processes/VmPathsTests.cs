using WebVirt.Hypervisor.Processes;

namespace WebVirt.Hypervisor.Tests.Processes;

public sealed class VmPathsTests
{
    [Fact]
    public void Create_ShortRoot_PlacesSocketsInThePerVmRunFolder()
    {
        var uuid = Guid.NewGuid();

        var paths = VmPaths.Create(uuid, "/run/webvirt", "/var/lib/webvirt/vms");

        Assert.Equal($"/run/webvirt/{uuid}/qmp.sock", paths.QmpSocket);
        Assert.Equal($"/var/lib/webvirt/vms/{uuid}/serial.log", paths.SerialLog);
    }

    [Fact]
    public void Create_RootTooLongForUnixSockets_IsRefusedWithAClearMessage()
    {
        var error = Assert.Throws<ArgumentException>(() => VmPaths.Create(Guid.NewGuid(), "/" + new string('r', 80), "/data"));

        Assert.Contains("107-byte limit", error.Message, StringComparison.Ordinal);
    }
}
