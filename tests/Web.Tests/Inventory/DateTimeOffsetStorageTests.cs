using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Tasks;

namespace WebVirt.Web.Tests.Inventory;

public sealed class DateTimeOffsetStorageTests
{
    // Listed out of order, with offsets whose local clock readings sort differently from the instants.
    private static readonly DateTimeOffset[] Instants =
    [
        new(2025, 1, 1, 12, 0, 0, TimeSpan.FromHours(-8)),   // 20:00 UTC
        new(2025, 1, 1, 13, 0, 0, TimeSpan.FromHours(5)),    // 08:00 UTC
        new(2025, 1, 1, 23, 30, 0, TimeSpan.FromHours(14)),  // 09:30 UTC
        new DateTimeOffset(2025, 1, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(1), // 10:00:00.0000001 UTC
        new(2025, 1, 1, 10, 0, 0, TimeSpan.Zero),            // 10:00 UTC
    ];

    [Fact]
    public async Task OrderByDescending_InSql_SortsByInstant()
    {
        await using var database = await InventoryDatabase.CreateAsync();
        await AddTasksAsync(database);

        await using var context = await database.OpenAsync();
        var newestFirst = await context.Tasks.OrderByDescending(t => t.StartedAt).Select(t => t.StartedAt).ToListAsync();

        Assert.Equal(Instants.OrderByDescending(i => i.UtcTicks), newestFirst);
    }

    [Fact]
    public async Task Where_ComparesInstantsInSql()
    {
        await using var database = await InventoryDatabase.CreateAsync();
        await AddTasksAsync(database);
        var after = new DateTimeOffset(2025, 1, 1, 11, 0, 0, TimeSpan.FromHours(2)); // 09:00 UTC

        await using var context = await database.OpenAsync();
        var count = await context.Tasks.CountAsync(t => t.StartedAt > after);

        Assert.Equal(4, count);
    }

    [Fact]
    public async Task Stored_AsUtcTicks_ReadBackAsSameInstantWithFullPrecision()
    {
        await using var database = await InventoryDatabase.CreateAsync();
        await AddTasksAsync(database);

        var stored = await InventoryInitializerTests.QueryAsync(database.FilePath,
            "SELECT typeof(StartedAt) || ':' || StartedAt FROM Tasks ORDER BY StartedAt LIMIT 1");
        await using var context = await database.OpenAsync();
        var read = await context.Tasks.Select(t => t.StartedAt).ToListAsync();

        Assert.Equal([$"integer:{Instants.Min(i => i.UtcTicks)}"], stored);
        Assert.Equal(Instants.Select(i => i.UtcTicks).Order(), read.Select(r => r.UtcTicks).Order());
        Assert.All(read, r => Assert.Equal(TimeSpan.Zero, r.Offset));
    }

    private static async Task AddTasksAsync(InventoryDatabase database)
    {
        await using var context = await database.OpenAsync();
        foreach (var instant in Instants)
        {
            context.Tasks.Add(new TaskRecord
            {
                Id = Guid.NewGuid(),
                Kind = "vm.start",
                TargetType = "vm",
                TargetId = "1",
                UserName = "alice",
                StartedAt = instant,
            });
        }

        await context.SaveChangesAsync();
    }
}
