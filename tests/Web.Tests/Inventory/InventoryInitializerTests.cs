using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Web.Inventory;
using WebVirt.Web.Tasks;

namespace WebVirt.Web.Tests.Inventory;

public sealed class InventoryInitializerTests
{
    private static readonly string[] ExpectedTables =
    [
        "__EFMigrationsHistory",
        "ApiTokens", "AspNetRoleClaims", "AspNetRoles", "AspNetUserClaims", "AspNetUserLogins",
        "AspNetUserRoles", "AspNetUsers", "AspNetUserTokens", "AuditEntries", "BackupSchedules", "ConsoleShareLinks", "Disks", "Hosts",
        "IsoImages", "Nics", "StoragePools", "TaskLogLines", "Tasks", "Vms",
        "AccessGroupMembers", "AccessGroups", "AccessRoles", "AclEntries", "PoolMembers", "ResourcePools",
    ];

    [Fact]
    public async Task Initialize_EmptyFile_CreatesEveryTable()
    {
        await using var database = await InventoryDatabase.CreateAsync();

        var tables = await QueryAsync(database.FilePath,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__EFMigrationsLock'");

        Assert.Equal(ExpectedTables.Order(StringComparer.Ordinal), tables.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Initialize_TheDatabaseAndItsWalFiles_AreReadableByThePanelAlone()
    {
        await using var database = await InventoryDatabase.CreateAsync();
        await using (var context = await database.OpenAsync())
        {
            await context.Database.ExecuteSqlRawAsync("CREATE TABLE probe (x); INSERT INTO probe VALUES (1);");
        }

        var files = new[] { database.FilePath, database.FilePath + "-wal", database.FilePath + "-shm" }.Where(File.Exists).ToList();
        Assert.Contains(database.FilePath + "-wal", files);
        Assert.All(files, file => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file)));
    }

    [Fact]
    public async Task Initialize_EmptyFile_AppliesEveryMigration()
    {
        await using var database = await InventoryDatabase.CreateAsync();
        await using var context = await database.OpenAsync();

        Assert.Empty(await context.Database.GetPendingMigrationsAsync());
        Assert.NotEmpty(await context.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task Model_MatchesTheLastMigration()
    {
        await using var database = await InventoryDatabase.CreateAsync();
        await using var context = await database.OpenAsync();

        // Fails when an entity changed without `dotnet ef migrations add`.
        Assert.False(context.Database.HasPendingModelChanges());
    }

    [Fact]
    public async Task Initialize_SetsWalJournalInTheFile()
    {
        await using var database = await InventoryDatabase.CreateAsync();

        // A fresh connection outside EF Core: WAL is a property of the file, not of the panel's connections.
        var mode = await QueryAsync(database.FilePath, "PRAGMA journal_mode");

        Assert.Equal(["wal"], mode);
    }

    [Fact]
    public async Task Context_Connections_HaveBusyTimeout()
    {
        await using var database = await InventoryDatabase.CreateAsync();
        await using var context = await database.OpenAsync();

        await context.Database.OpenConnectionAsync();
        await using var command = context.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA busy_timeout";

        Assert.Equal(30_000L, Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Context_ForeignKeys_AreEnforced()
    {
        await using var database = await InventoryDatabase.CreateAsync();
        await using var context = await database.OpenAsync();

        context.TaskLogLines.Add(new TaskLogLine { TaskId = Guid.NewGuid(), Sequence = 1, Text = "orphan" });

        await Assert.ThrowsAsync<DbUpdateException>(() => context.SaveChangesAsync());
    }

    [Fact]
    public async Task Initialize_SecondTime_ChangesNothing()
    {
        await using var database = await InventoryDatabase.CreateAsync();
        var task = await database.Services.GetRequiredService<TaskLog>().StartAsync("vm.start", "vm", "1", null, "alice");

        await database.Services.InitializeInventoryAsync();

        await using var context = await database.OpenAsync();
        Assert.Equal(TaskState.Running, (await context.Tasks.SingleAsync(t => t.Id == task.Id)).Status);
    }

    [Fact]
    public async Task Initialize_AfterRestart_FailsTasksLeftRunning()
    {
        await using var database = await InventoryDatabase.CreateAsync();
        var taskLog = database.Services.GetRequiredService<TaskLog>();
        var cutOff = await taskLog.StartAsync("vm.create", "vm", "1", "web01", "alice");
        var finished = await taskLog.StartAsync("vm.start", "vm", "2", "web02", "alice");
        await taskLog.CompleteAsync(finished.Id);

        await database.StartPanelAsync();

        await using var context = await database.OpenAsync();
        var task = await context.Tasks.SingleAsync(t => t.Id == cutOff.Id);
        Assert.Equal(TaskState.Failed, task.Status);
        Assert.Equal(TaskLog.InterruptedError, task.Error);
        Assert.NotNull(task.EndedAt);
        Assert.Equal(TaskState.Succeeded, (await context.Tasks.SingleAsync(t => t.Id == finished.Id)).Status);
        var outcome = await context.AuditEntries.Where(a => a.TaskId == cutOff.Id).OrderBy(a => a.Id).LastAsync();
        Assert.False(outcome.Success);
    }

    internal static async Task<List<string>> QueryAsync(string file, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
