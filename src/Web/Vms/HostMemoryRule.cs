using System.Globalization;

namespace WebVirt.Web.Vms;

/// <summary>
/// A VM's memory against its host's, the same rule for the wizard, the hardware tab and the API. Overcommit is allowed
/// (as Proxmox allows it: KSM and ballooning make it work), so more than the host has free is only a warning; more than
/// the host's physical memory can never start, so it is refused before anything is created or changed.
/// </summary>
internal static class HostMemoryRule
{
    private const long MiB = 1024 * 1024;

    /// <summary>Why <paramref name="memoryMiB"/> can never start on the host; null when it can (or the host has not said how much it has).</summary>
    public static string? Refusal(int memoryMiB, long? hostMemoryBytes, string hostName) =>
        hostMemoryBytes is { } total and > 0 && memoryMiB * MiB > total
            ? $"memoryMiB: {memoryMiB} MiB ({Size(memoryMiB * MiB)}) is more than the {Size(total)} of physical memory of host '{hostName}': the VM could never start there"
            : null;

    /// <summary>
    /// A warning when <paramref name="memoryMiB"/> is more than the host has left beside the memory of the VMs running
    /// there (<paramref name="runningMiB"/>); null when it fits, or when it is refused anyway.
    /// </summary>
    public static string? Warning(int memoryMiB, long? hostMemoryBytes, long runningMiB)
    {
        if (hostMemoryBytes is not { } total || total <= 0 || memoryMiB * MiB > total)
        {
            return null;
        }

        var free = Math.Max(0, total - runningMiB * MiB);
        return memoryMiB * MiB > free
            ? $"More than the host has free ({Size(free)} of {Size(total)} beside its running VMs): it starts only by overcommitting memory"
            : null;
    }

    private static string Size(long bytes) => bytes >= 1024 * 1024 * MiB
        ? (bytes / (double)(1024 * 1024 * MiB)).ToString("0.#", CultureInfo.InvariantCulture) + " TiB"
        : (bytes / (double)(1024 * MiB)).ToString("0.#", CultureInfo.InvariantCulture) + " GiB";
}
