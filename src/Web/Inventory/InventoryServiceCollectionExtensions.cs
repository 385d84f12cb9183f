using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WebVirt.Web.Tasks;

namespace WebVirt.Web.Inventory;

internal static class InventoryServiceCollectionExtensions
{
    /// <summary>
    /// Registers the inventory database (<see cref="IDbContextFactory{WebVirtDbContext}"/>, and a scoped
    /// <see cref="WebVirtDbContext"/> for Identity's <c>AddEntityFrameworkStores</c>), the change notifier,
    /// the task log and the audit log, and a hosted service that migrates the database at start-up.
    /// </summary>
    public static IServiceCollection AddInventory(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<InventoryOptions>()
            .Bind(configuration.GetSection(InventoryOptions.SectionName))
            .Configure(options => options.ConnectionString =
                configuration[InventoryOptions.ConnectionStringKey] ?? InventoryOptions.DefaultConnectionString)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InventoryOptions>, InventoryOptionsValidator>());

        services.AddDbContextFactory<WebVirtDbContext>((provider, builder) =>
        {
            var options = provider.GetRequiredService<IOptions<InventoryOptions>>().Value;
            var baseDirectory = provider.GetService<IHostEnvironment>()?.ContentRootPath ?? Directory.GetCurrentDirectory();
            builder.UseSqlite(InventoryConnectionString.Resolve(options.ConnectionString, baseDirectory, options.BusyTimeout));
            builder.AddInterceptors(new SqliteBusyTimeoutInterceptor(options.BusyTimeout));
        });

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<InventoryNotifier>();
        services.TryAddSingleton<VmStateWriter>();
        services.TryAddSingleton<TaskLog>();
        services.TryAddSingleton<AuditLog>();
        services.TryAddSingleton<InventoryInitializer>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, InventoryStartup>());
        return services;
    }

    /// <summary>
    /// Migrates the database now (the hosted service does the same at host start; whichever runs first does
    /// the work). For tools and tests that use the services without starting a host.
    /// </summary>
    public static Task InitializeInventoryAsync(this IServiceProvider services, CancellationToken cancellationToken = default) =>
        services.GetRequiredService<InventoryInitializer>().InitializeAsync(cancellationToken);
}
