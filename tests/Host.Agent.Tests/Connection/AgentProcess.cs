using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WebVirt.Host.Agent.Connection;
using WebVirt.Host.Agent.Tests.Vms;

namespace WebVirt.Host.Agent.Tests.Connection;

/// <summary>The agent as its Program.cs builds it (AddWebVirtAgent in a generic host), over test folders, with fast retries.</summary>
internal static class AgentProcess
{
    public static IHost Build(AgentTestFolders folders, ITestOutputHelper output, IDictionary<string, string?> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(folders.Configuration.Concat(settings));
        builder.Logging.AddProvider(new XunitLoggerProvider(output));
        builder.Services.AddWebVirtAgent();
        builder.Services.Configure<PanelConnectionOptions>(o =>
        {
            o.RetryDelays = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)];
            o.UnauthorizedRetryDelay = TimeSpan.FromMilliseconds(300);
        });
        return builder.Build();
    }
}
