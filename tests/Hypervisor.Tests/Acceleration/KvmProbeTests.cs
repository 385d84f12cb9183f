using WebVirt.Hypervisor.Acceleration;
using WebVirt.Shared.Hosts;

namespace WebVirt.Hypervisor.Tests.Acceleration;

public sealed class KvmProbeTests
{
    /// <summary>
    /// The development and CI machines have either no /dev/kvm or a nested KVM whose CPU shows neither
    /// vmx nor svm: the probe must choose TCG there, and say why.
    /// </summary>
    [Fact]
    public void Probe_ThisMachine_ChoosesTcgWithAReason()
    {
        var result = KvmProbe.Probe();

        Assert.Equal(Accelerator.Tcg, result.Accelerator);
        Assert.Matches("/dev/kvm cannot be opened|vmx nor svm|KVM_CREATE_VM failed|API version", result.Reason);
        Assert.StartsWith("Software emulation (TCG)", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_MissingDevice_NamesTheDeviceAndTheError()
    {
        var result = KvmProbe.Probe("/dev/does-not-exist-kvm");

        Assert.Equal(Accelerator.Tcg, result.Accelerator);
        Assert.Contains("/dev/does-not-exist-kvm cannot be opened (No such file or directory", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_DeviceThatIsNotKvm_FailsTheApiVersionCheck()
    {
        var result = KvmProbe.Probe("/dev/null");

        Assert.Equal(Accelerator.Tcg, result.Accelerator);
        Assert.Contains("KVM_GET_API_VERSION failed on /dev/null", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("flags\t\t: fpu vme de pse vmx sse", true)]
    [InlineData("flags\t\t: fpu svm", true)]
    [InlineData("flags\t\t: fpu vme hypervisor", false)]
    [InlineData("model name\t: vmx-like marketing name\nflags\t\t: fpu", false)]
    public void CpuHasVirtualizationExtensions_ReadsOnlyTheFlagsLine(string cpuInfo, bool expected)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, cpuInfo);
            Assert.Equal(expected, KvmProbe.CpuHasVirtualizationExtensions(file));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
