using WebVirt.Shared.Agents;
using WebVirt.Shared.Hosts;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Tests.Inventory;

public sealed class HostRecordMapperTests
{
    [Fact]
    public void ToFacts_BeforeRegistration_IsNull()
    {
        Assert.Null(HostRecordMapper.ToFacts(new HostRecord { Name = "node1", TokenHash = "" }));
    }

    [Fact]
    public async Task ApplyFacts_ThroughTheDatabase_RoundTrips()
    {
        var facts = new HostFacts
        {
            Hostname = "node1.example",
            CpuModel = "AMD EPYC 7763",
            CpuThreads = 128,
            MemoryBytes = 512L << 30,
            Accelerator = Accelerator.Tcg,
            AcceleratorReason = "no vmx/svm in /proc/cpuinfo",
            QemuVersion = "7.2.15",
            AgentVersion = "0.1.0",
            ImagePool = "/var/lib/webvirt/images",
            StorageTotalBytes = 4L << 40,
            StorageFreeBytes = 3L << 40,
            IsolationGaps = ["VMs are not isolated by cgroup: the host has no unified cgroup v2 hierarchy.", "QEMU runs as root: Hypervisor:QemuUser is empty."],
        };
        await using var database = await InventoryDatabase.CreateAsync();
        var host = await database.AddHostAsync("node1");

        await using (var context = await database.OpenAsync())
        {
            var record = await context.Hosts.FindAsync(host.Id);
            HostRecordMapper.ApplyFacts(record!, facts);
            await context.SaveChangesAsync();
        }

        await using (var context = await database.OpenAsync())
        {
            var read = HostRecordMapper.ToFacts((await context.Hosts.FindAsync(host.Id))!)!;

            // The list is compared by its items: a record compares a list member by reference.
            Assert.Equal(facts.IsolationGaps, read.IsolationGaps);
            Assert.Equal(facts with { IsolationGaps = [] }, read with { IsolationGaps = [] });
        }
    }
}
