using System.Reflection;
using Microsoft.EntityFrameworkCore;
using WebVirt.Shared.Vms;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Tests.Inventory;

public sealed class VmRecordMapperTests
{
    [Fact]
    public void SampleDefinition_SetsEveryPropertyAwayFromItsDefault()
    {
        // Guards the round-trip tests: a property added to a definition record must be set here (and mapped).
        var sample = SampleVms.EveryField();
        var disk = sample.Disks[0];
        var nic = sample.Nics[0];

        AssertAllDiffer(SampleVms.Minimal(), sample);
        AssertAllDiffer(new CpuTopology(), sample.Cpu);
        AssertAllDiffer(new DisplayDefinition(), sample.Display);
        AssertAllDiffer(new CdromDefinition(), sample.Cdrom!);
        AssertAllDiffer(new DiskDefinition { Id = "x", Path = "/x" }, disk);
        AssertAllDiffer(new DiskIoLimits(), disk.IoLimits!);
        AssertAllDiffer(new NicDefinition { Id = "x", MacAddress = "52:54:00:00:00:00" }, nic);
        AssertAllDiffer(new PortForward { HostPort = 1, GuestPort = 1 }, nic.PortForwards[0]);
    }

    [Fact]
    public void RoundTrip_EveryField_IsUnchanged()
    {
        var definition = SampleVms.EveryField();
        var record = new VmRecord { Name = "" };

        VmRecordMapper.ApplyDefinition(record, definition);

        DefinitionAssert.Equal(definition, VmRecordMapper.ToDefinition(record));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RoundTrip_Cdrom_KeepsDriveWithoutIsoApartFromNoDrive(bool emptyDrive)
    {
        var definition = SampleVms.Minimal() with { Cdrom = emptyDrive ? new CdromDefinition() : null };
        var record = new VmRecord { Name = "" };

        VmRecordMapper.ApplyDefinition(record, definition);

        Assert.Equal(emptyDrive, record.HasCdrom);
        DefinitionAssert.Equal(definition, VmRecordMapper.ToDefinition(record));
    }

    [Fact]
    public async Task RoundTrip_ThroughTheDatabase_IsUnchanged()
    {
        await using var database = await InventoryDatabase.CreateAsync();
        var host = await database.AddHostAsync("node1");
        var definition = SampleVms.EveryField();
        await using (var context = await database.OpenAsync())
        {
            var record = new VmRecord { HostId = host.Id, Name = "" };
            VmRecordMapper.ApplyDefinition(record, definition);
            context.Vms.Add(record);
            await context.SaveChangesAsync();
        }

        await using (var context = await database.OpenAsync())
        {
            var loaded = await context.Vms.Include(v => v.Disks).Include(v => v.Nics).SingleAsync(v => v.Id == definition.Uuid);
            DefinitionAssert.Equal(definition, VmRecordMapper.ToDefinition(loaded));
        }
    }

    [Fact]
    public async Task ApplyDefinition_ToStoredVm_UpdatesAddsAndRemovesDevicesInPlace()
    {
        await using var database = await InventoryDatabase.CreateAsync();
        var host = await database.AddHostAsync("node1");
        var original = SampleVms.EveryField();
        await using (var context = await database.OpenAsync())
        {
            var record = new VmRecord { HostId = host.Id, Name = "" };
            VmRecordMapper.ApplyDefinition(record, original);
            record.Disks[1].SizeBytes = 8L << 30;
            context.Vms.Add(record);
            await context.SaveChangesAsync();
        }

        var changed = original with
        {
            Name = "web01-renamed",
            Disks = [original.Disks[1] with { Cache = DiskCache.Unsafe }, new DiskDefinition { Id = "disk2", Path = "/images/new.qcow2" }],
            Nics = [original.Nics[1], original.Nics[0] with { PortForwards = [new PortForward { HostPort = 8080, GuestPort = 80 }] }],
            Cdrom = null,
        };
        await using (var context = await database.OpenAsync())
        {
            var record = await context.Vms.Include(v => v.Disks).Include(v => v.Nics).SingleAsync(v => v.Id == original.Uuid);
            VmRecordMapper.ApplyDefinition(record, changed);
            await context.SaveChangesAsync();
        }

        await using (var context = await database.OpenAsync())
        {
            var loaded = await context.Vms.Include(v => v.Disks).Include(v => v.Nics).SingleAsync(v => v.Id == original.Uuid);
            DefinitionAssert.Equal(changed, VmRecordMapper.ToDefinition(loaded));
            Assert.Equal(8L << 30, loaded.Disks.Single(d => d.DiskId == "disk1").SizeBytes);
            Assert.Equal(2, loaded.DefinitionVersion);
            Assert.Equal(2, await context.Disks.CountAsync());
        }
    }

    [Fact]
    public void ApplyDefinition_OtherVmsDefinition_Throws()
    {
        var record = new VmRecord { Id = Guid.NewGuid(), Name = "a" };

        Assert.Throws<ArgumentException>(() => VmRecordMapper.ApplyDefinition(record, SampleVms.Minimal()));
    }

    [Fact]
    public void ApplyDefinition_DuplicateDiskIds_Throws()
    {
        var disk = new DiskDefinition { Id = "disk0", Path = "/a.qcow2" };
        var definition = SampleVms.Minimal() with { Disks = [disk, disk with { Path = "/b.qcow2" }] };

        Assert.Throws<ArgumentException>(() => VmRecordMapper.ApplyDefinition(new VmRecord { Name = "" }, definition));
    }

    private static void AssertAllDiffer<T>(T defaults, T sample)
    {
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var before = property.GetValue(defaults);
            var after = property.GetValue(sample);
            var same = before is System.Collections.IEnumerable left and not string && after is System.Collections.IEnumerable right
                ? left.Cast<object>().SequenceEqual(right.Cast<object>())
                : Equals(before, after);
            Assert.False(same, $"{typeof(T).Name}.{property.Name} is at its default in the sample definition.");
        }
    }
}
