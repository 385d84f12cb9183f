using Microsoft.EntityFrameworkCore;
using WebVirt.Shared.Vms;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Tests.Inventory;

public sealed class VmRecordPersistenceTests
{
    [Fact]
    public async Task Insert_SameNameOnSameHost_Fails()
    {
        await using var database = await InventoryDatabase.CreateAsync();
        var host = await database.AddHostAsync("node1");
        await AddVmAsync(database, host.Id, "web01");

        await Assert.ThrowsAsync<DbUpdateException>(() => AddVmAsync(database, host.Id, "web01"));
    }

    [Fact]
    public async Task Insert_NameDifferingOnlyInCase_Fails()
    {
        await using var database = await InventoryDatabase.CreateAsync();
        var host = await database.AddHostAsync("node1");
        await AddVmAsync(database, host.Id, "web01");

        await Assert.ThrowsAsync<DbUpdateException>(() => AddVmAsync(database, host.Id, "WEB01"));
    }

    [Fact]
    public async Task Insert_SameNameOnAnotherHost_Succeeds()
    {
        await using var database = await InventoryDatabase.CreateAsync();
        var first = await database.AddHostAsync("node1");
        var second = await database.AddHostAsync("node2");
        await AddVmAsync(database, first.Id, "web01");

        await AddVmAsync(database, second.Id, "web01");

        await using var context = await database.OpenAsync();
        Assert.Equal(2, await context.Vms.CountAsync(v => v.Name == "web01"));
    }

    [Fact]
    public async Task Delete_Vm_DeletesItsDisksAndNics()
    {
        await using var database = await InventoryDatabase.CreateAsync();
        var host = await database.AddHostAsync("node1");
        var kept = await AddVmAsync(database, host.Id, "kept");
        var removed = await AddVmAsync(database, host.Id, "removed");

        await using (var context = await database.OpenAsync())
        {
            // Set-based delete: the database's ON DELETE CASCADE does the work, not EF Core's change tracker.
            Assert.Equal(1, await context.Vms.Where(v => v.Id == removed.Id).ExecuteDeleteAsync());
        }

        await using (var context = await database.OpenAsync())
        {
            Assert.Empty(await context.Disks.Where(d => d.VmId == removed.Id).ToListAsync());
            Assert.Empty(await context.Nics.Where(n => n.VmId == removed.Id).ToListAsync());
            Assert.Equal(2, await context.Disks.CountAsync(d => d.VmId == kept.Id));
            Assert.Equal(2, await context.Nics.CountAsync(n => n.VmId == kept.Id));
        }
    }

    [Fact]
    public async Task Delete_HostWithVms_Fails()
    {
        await using var database = await InventoryDatabase.CreateAsync();
        var host = await database.AddHostAsync("node1");
        await AddVmAsync(database, host.Id, "web01");

        await using var context = await database.OpenAsync();
        context.Hosts.Remove(await context.Hosts.SingleAsync(h => h.Id == host.Id));

        await Assert.ThrowsAsync<DbUpdateException>(() => context.SaveChangesAsync());
    }

    [Fact]
    public async Task ExecuteDelete_HostWithVms_FailsWithSqliteError()
    {
        await using var database = await InventoryDatabase.CreateAsync();
        var host = await database.AddHostAsync("node1");
        await AddVmAsync(database, host.Id, "web01");
        await using var context = await database.OpenAsync();

        // Set-based operations bypass SaveChanges, so the provider's exception arrives unwrapped.
        var error = await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(
            () => context.Hosts.Where(h => h.Id == host.Id).ExecuteDeleteAsync());
        Assert.Equal(19, error.SqliteErrorCode); // SQLITE_CONSTRAINT
    }

    [Fact]
    public async Task Save_ConcurrentDefinitionEdits_SecondFails()
    {
        await using var database = await InventoryDatabase.CreateAsync();
        var host = await database.AddHostAsync("node1");
        var vm = await AddVmAsync(database, host.Id, "web01");
        await using var first = await database.OpenAsync();
        await using var second = await database.OpenAsync();
        var firstCopy = await first.Vms.Include(v => v.Disks).Include(v => v.Nics).SingleAsync(v => v.Id == vm.Id);
        var secondCopy = await second.Vms.Include(v => v.Disks).Include(v => v.Nics).SingleAsync(v => v.Id == vm.Id);

        VmRecordMapper.ApplyDefinition(firstCopy, VmRecordMapper.ToDefinition(firstCopy) with { MemoryMiB = 4096 });
        await first.SaveChangesAsync();
        VmRecordMapper.ApplyDefinition(secondCopy, VmRecordMapper.ToDefinition(secondCopy) with { MemoryMiB = 512 });

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
    }

    [Fact]
    public async Task Save_StateReportDuringEdit_DoesNotConflict()
    {
        await using var database = await InventoryDatabase.CreateAsync();
        var host = await database.AddHostAsync("node1");
        var vm = await AddVmAsync(database, host.Id, "web01");
        await using var editor = await database.OpenAsync();
        var edited = await editor.Vms.Include(v => v.Disks).Include(v => v.Nics).SingleAsync(v => v.Id == vm.Id);

        await using (var agent = await database.OpenAsync())
        {
            var reported = await agent.Vms.SingleAsync(v => v.Id == vm.Id);
            reported.ActualState = VmPowerState.Running;
            await agent.SaveChangesAsync();
        }

        VmRecordMapper.ApplyDefinition(edited, VmRecordMapper.ToDefinition(edited) with { MemoryMiB = 4096 });
        await editor.SaveChangesAsync();

        await using var check = await database.OpenAsync();
        var stored = await check.Vms.SingleAsync(v => v.Id == vm.Id);
        Assert.Equal(4096, stored.MemoryMiB);
        Assert.Equal(VmPowerState.Running, stored.ActualState);
    }

    [Fact]
    public async Task Save_EditedPortForwards_AreWritten()
    {
        await using var database = await InventoryDatabase.CreateAsync();
        var host = await database.AddHostAsync("node1");
        var vm = await AddVmAsync(database, host.Id, "web01");

        await using (var context = await database.OpenAsync())
        {
            var nic = await context.Nics.SingleAsync(n => n.VmId == vm.Id && n.NicId == "net1");
            nic.PortForwards = [.. nic.PortForwards, new PortForward { HostPort = 8443, GuestPort = 443 }];
            await context.SaveChangesAsync();
        }

        await using (var context = await database.OpenAsync())
        {
            var nic = await context.Nics.SingleAsync(n => n.VmId == vm.Id && n.NicId == "net1");
            Assert.Equal([new PortForward { HostPort = 8443, GuestPort = 443 }], nic.PortForwards);
        }
    }

    [Fact]
    public async Task Enums_AreStoredByName()
    {
        await using var database = await InventoryDatabase.CreateAsync();
        var host = await database.AddHostAsync("node1");
        await AddVmAsync(database, host.Id, "web01");

        var values = await InventoryInitializerTests.QueryAsync(database.FilePath,
            "SELECT Machine || ',' || Firmware || ',' || DesiredState FROM Vms");

        Assert.Equal(["I440fx,Ovmf,Stopped"], values);
    }

    private static async Task<VmRecord> AddVmAsync(InventoryDatabase database, Guid hostId, string name)
    {
        var record = new VmRecord { HostId = hostId, Name = "", CreatedAt = database.Clock.GetUtcNow() };
        VmRecordMapper.ApplyDefinition(record, SampleVms.EveryField() with { Name = name });
        await using var context = await database.OpenAsync();
        context.Vms.Add(record);
        await context.SaveChangesAsync();
        return record;
    }
}
