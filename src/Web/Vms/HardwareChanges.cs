using WebVirt.Shared.Vms;

namespace WebVirt.Web.Vms;

/// <summary>What differs between two definitions' hardware, in words: the audit detail and the pending-change list.</summary>
internal static class HardwareChanges
{
    public static IReadOnlyList<string> Between(VmDefinition current, VmDefinition wanted)
    {
        var changes = new List<string>();
        void Compare<T>(string what, T before, T after, Func<T, string> show)
        {
            var (b, a) = (show(before), show(after));
            if (b != a)
            {
                changes.Add($"{what}: {b} → {a}");
            }
        }

        Compare("CPU", current.Cpu, wanted.Cpu, c => $"{c.Sockets} × {c.Cores} × {c.Threads} ({c.VcpuCount} vCPUs), model {c.Model ?? "default"}");
        Compare("Memory", current.MemoryMiB, wanted.MemoryMiB, m => $"{m} MiB");
        Compare("CD-ROM", current.Cdrom, wanted.Cdrom, c => c is null ? "none" : $"{c.IsoPath ?? "empty"}{Boot(c.BootOrder)}");
        foreach (var nic in wanted.Nics)
        {
            var before = current.Nics.FirstOrDefault(n => n.Id == nic.Id);
            if (before is null)
            {
                changes.Add($"NIC {nic.Id}: added ({Show(nic)})");
            }
            else
            {
                Compare($"NIC {nic.Id}", before, nic, Show);
            }
        }

        changes.AddRange(current.Nics.Where(n => wanted.Nics.All(w => w.Id != n.Id)).Select(n => $"NIC {n.Id}: removed"));
        foreach (var disk in wanted.Disks)
        {
            if (current.Disks.FirstOrDefault(d => d.Id == disk.Id) is { } before)
            {
                Compare($"Disk {disk.Id} boot order", before.BootOrder, disk.BootOrder, o => o?.ToString() ?? "none");
                Compare($"Disk {disk.Id}", before, disk, d => $"{d.Bus}, cache {d.Cache.ToString().ToLowerInvariant()}, discard {(d.Discard ? "on" : "off")}");
            }
        }

        return changes;
    }

    public static string Describe(VmDefinition current, VmDefinition wanted) =>
        Between(current, wanted) is { Count: > 0 } changes ? string.Join("; ", changes) : "no change";

    private static string Show(NicDefinition nic) =>
        $"{nic.Model}, {nic.Mode}{(nic.TapDevice is { } tap ? $" {tap}" : "")}"
        + string.Concat(nic.PortForwards.Select(f => $", {f.Protocol} {f.HostAddress}:{f.HostPort}→{f.GuestPort}".ToLowerInvariant()))
        + Boot(nic.BootOrder);

    private static string Boot(int? order) => order is { } o ? $", boot {o}" : "";
}
