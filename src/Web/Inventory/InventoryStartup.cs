namespace WebVirt.Web.Inventory;

/// <summary>Initializes the database before the server starts taking requests.</summary>
internal sealed class InventoryStartup(InventoryInitializer initializer) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => initializer.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
