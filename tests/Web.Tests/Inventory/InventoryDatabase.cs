using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Tests.Inventory;

/// <summary>A migrated inventory database in a real SQLite file under a temp folder, with the panel's services.</summary>
internal sealed class InventoryDatabase : IAsyncDisposable
{
    private readonly List<ServiceProvider> providers = [];

    private InventoryDatabase(string folder)
    {
        Folder = folder;
        FilePath = Path.Combine(folder, "webvirt.db");
    }

    public string Folder { get; }
    public string FilePath { get; }
    public ManualClock Clock { get; } = new();
    public IServiceProvider Services => providers[0];
    public IDbContextFactory<WebVirtDbContext> Contexts => Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>();
    public InventoryNotifier Notifier => Services.GetRequiredService<InventoryNotifier>();

    public static async Task<InventoryDatabase> CreateAsync(Action<IServiceCollection>? configure = null)
    {
        var database = new InventoryDatabase(Directory.CreateTempSubdirectory("webvirt-inventory-").FullName);
        await database.StartPanelAsync(configure);
        return database;
    }

    /// <summary>Another panel process's services on the same file, as after a restart; initialized.</summary>
    public async Task<IServiceProvider> StartPanelAsync(Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [InventoryOptions.ConnectionStringKey] = $"Data Source={FilePath}",
            })
            .Build();

        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(Clock);
        services.AddInventory(configuration);
        configure?.Invoke(services);

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        providers.Add(provider);
        await provider.InitializeInventoryAsync();
        return provider;
    }

    public async Task<WebVirtDbContext> OpenAsync() => await Contexts.CreateDbContextAsync();

    public async Task<HostRecord> AddHostAsync(string name)
    {
        var host = new HostRecord
        {
            Id = Guid.NewGuid(),
            Name = name,
            TokenHash = HostTokens.Hash(HostTokens.Generate()),
            TokenCreatedAt = Clock.GetUtcNow(),
        };
        await using var context = await OpenAsync();
        context.Hosts.Add(host);
        await context.SaveChangesAsync();
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in providers)
        {
            await provider.DisposeAsync();
        }

        // Pooled connections keep the file (and its -wal/-shm) open.
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}
