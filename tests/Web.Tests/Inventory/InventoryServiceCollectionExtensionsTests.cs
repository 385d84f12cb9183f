using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Tests.Inventory;

public sealed class InventoryServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddInventory_NoConnectionString_UsesDataFolderUnderContentRoot()
    {
        var root = Directory.CreateTempSubdirectory("webvirt-root-").FullName;
        try
        {
            await using var provider = Build(new Dictionary<string, string?>(), root);
            await using var context = await provider.GetRequiredService<IDbContextFactory<WebVirtDbContext>>().CreateDbContextAsync();

            Assert.Equal(Path.Combine(root, "data", "webvirt.db"), context.Database.GetDbConnection().DataSource);
            Assert.True(Directory.Exists(Path.Combine(root, "data")));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task AddInventory_HostedService_MigratesOnStart()
    {
        var root = Directory.CreateTempSubdirectory("webvirt-root-").FullName;
        try
        {
            var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = root });
            builder.Configuration[InventoryOptions.ConnectionStringKey] = "Data Source=state/panel.db";
            builder.Services.AddInventory(builder.Configuration);
            using var host = builder.Build();

            await host.StartAsync();
            await host.StopAsync();

            var tables = await InventoryInitializerTests.QueryAsync(Path.Combine(root, "state", "panel.db"),
                "SELECT name FROM sqlite_master WHERE name = 'Vms'");
            Assert.Equal(["Vms"], tables);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData(InventoryOptions.ConnectionStringKey, "Data Source=", "names no database file")]
    [InlineData(InventoryOptions.ConnectionStringKey, "Bogus Keyword=1", "not a valid SQLite connection string")]
    [InlineData("Panel:Inventory:BusyTimeout", "00:00:00", "BusyTimeout")]
    public async Task AddInventory_BadSettings_FailWithTheirKey(string key, string value, string message)
    {
        await using var provider = Build(new Dictionary<string, string?> { [key] = value }, Path.GetTempPath());

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<InventoryOptions>>().Value);

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddEntityFrameworkStores_WithInventory_StoresUsers()
    {
        await using var database = await InventoryDatabase.CreateAsync(services =>
            services.AddIdentityCore<WebVirtUser>().AddEntityFrameworkStores<WebVirtDbContext>());

        await using (var scope = database.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<WebVirtUser>>();
            var created = await users.CreateAsync(
                new WebVirtUser { UserName = "alice", DisplayName = "Alice", MustChangePassword = true }, "Secret-Pass-123");
            Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        }

        await using (var scope = database.Services.CreateAsyncScope())
        {
            var user = await scope.ServiceProvider.GetRequiredService<UserManager<WebVirtUser>>().FindByNameAsync("ALICE");
            Assert.NotNull(user);
            Assert.Equal("Alice", user.DisplayName);
            Assert.True(user.MustChangePassword);
        }
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, string contentRoot)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IHostEnvironment>(new TestEnvironment(contentRoot));
        services.AddInventory(configuration);
        return services.BuildServiceProvider();
    }

    private sealed class TestEnvironment(string contentRoot) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Development;
        public string ApplicationName { get; set; } = "WebVirt.Web.Tests";
        public string ContentRootPath { get; set; } = contentRoot;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
