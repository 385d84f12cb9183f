namespace WebVirt.Web.Hosting;

internal static class EmbeddedAgentRegistration
{
    public static IServiceCollection AddEmbeddedAgent(this IServiceCollection services)
    {
        services.AddSingleton<EmbeddedAgent>();
        return services;
    }
}
