using WebVirt.Hypervisor.Acceleration;
using WebVirt.Shared.Hosts;

namespace WebVirt.Hypervisor.Tests.Acceleration;

public sealed class KvmProbeTests
{
    /// <summary>
    /// Holds on both kinds of machine: where /dev/kvm opens and the CPU advertises vmx or svm (a real KVM host, where
    /// the product is meant to run) the probe chooses KVM, or TCG naming the ioctl the kernel refused; where either is
    /// missing (the development and CI machines: a nested KVM whose CPU shows neither flag) it chooses TCG and says which.
    /// The machine's facts are read here independently of the probe.
    /// </summary>
    [Fact]
    public void Probe_ThisMachine_ChoosesWhatTheDeviceAndCpuAllow()
    {
        var deviceOpens = DeviceOpens("/dev/kvm");
        var cpuAdvertises = File.ReadAllText("/proc/cpuinfo").Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Any(word => word is "vmx" or "svm");

        var result = KvmProbe.Probe();

        if (deviceOpens && cpuAdvertises)
        {
            if (result.Accelerator == Accelerator.Tcg)
            {
                Assert.Matches("KVM_CREATE_VM failed|KVM_GET_API_VERSION failed|KVM API version", result.Reason);
            }
            else
            {
                Assert.StartsWith("/dev/kvm works", result.Reason, StringComparison.Ordinal);
            }
        }
        else
        {
            Assert.Equal(Accelerator.Tcg, result.Accelerator);
            Assert.StartsWith("Software emulation (TCG)", result.Reason, StringComparison.Ordinal);
            Assert.Contains(deviceOpens ? "neither vmx nor svm" : "/dev/kvm cannot be opened", result.Reason, StringComparison.Ordinal);
        }
    }

    private static bool DeviceOpens(string path)
    {
        try
        {
            using var device = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
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
