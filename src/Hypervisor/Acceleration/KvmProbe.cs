using WebVirt.Hypervisor.Interop;
using WebVirt.Shared.Hosts;

namespace WebVirt.Hypervisor.Acceleration;

/// <summary>
/// Decides between KVM and TCG by trying KVM for real rather than trusting that /dev/kvm exists: nested
/// hosts (such as the "PVM" KVM on our build machines) expose a /dev/kvm that initialises but cannot
/// run stock guests, and QEMU aborts there instead of falling back.
/// </summary>
public static class KvmProbe
{
    /// <summary>The only KVM API version Linux has ever shipped.</summary>
    public const int ExpectedApiVersion = 12;

    public static AccelerationProbeResult Probe(string devicePath = "/dev/kvm", string cpuInfoPath = "/proc/cpuinfo")
    {
        var fd = Native.OpenReadWrite(devicePath, out var openError);
        if (fd < 0)
        {
            return Tcg($"{devicePath} cannot be opened ({openError})");
        }

        try
        {
            var version = Native.Ioctl(fd, Native.KvmGetApiVersion, 0, out var versionError);
            if (version != ExpectedApiVersion)
            {
                return Tcg(version < 0
                    ? $"KVM_GET_API_VERSION failed on {devicePath} ({versionError})"
                    : $"{devicePath} reports KVM API version {version}, expected {ExpectedApiVersion}");
            }

            var vmFd = Native.Ioctl(fd, Native.KvmCreateVm, 0, out var createError);
            if (vmFd < 0)
            {
                return Tcg($"KVM_CREATE_VM failed on {devicePath} ({createError})");
            }

            Native.Close(vmFd);
        }
        finally
        {
            Native.Close(fd);
        }

        if (!CpuHasVirtualizationExtensions(cpuInfoPath))
        {
            return Tcg($"{devicePath} works but the CPU advertises neither vmx nor svm in {cpuInfoPath} " +
                "(a nested or paravirtual KVM that cannot run stock guests)");
        }

        return new AccelerationProbeResult(Accelerator.Kvm, $"{devicePath} works (API {ExpectedApiVersion}, KVM_CREATE_VM succeeded) and the CPU has hardware virtualisation");
    }

    internal static bool CpuHasVirtualizationExtensions(string cpuInfoPath)
    {
        if (!File.Exists(cpuInfoPath))
        {
            return false;
        }

        return File.ReadLines(cpuInfoPath)
            .Where(line => line.StartsWith("flags", StringComparison.Ordinal))
            .SelectMany(line => line[(line.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Any(flag => flag is "vmx" or "svm");
    }

    private static AccelerationProbeResult Tcg(string reason) =>
        new(Accelerator.Tcg, $"Software emulation (TCG): {reason}. VMs run correctly but much slower.");
}
