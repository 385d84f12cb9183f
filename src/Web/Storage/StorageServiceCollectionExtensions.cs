using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace WebVirt.Web.Storage;

internal static class StorageServiceCollectionExtensions
{
    /// <summary>Pools, the ISO library, uploads and downloads; binds and checks the <c>Storage</c> section.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.TryAddSingleton<StorageAgents>();
        services.TryAddSingleton<PoolCommandRunner>();
        services.TryAddSingleton<PoolAccess>();
        services.TryAddSingleton<PoolOperations>();
        services.TryAddSingleton<PoolFileOperations>();
        services.TryAddSingleton<UploadOperations>();
        services.TryAddSingleton<DownloadOperations>();
        return services;
    }
}
