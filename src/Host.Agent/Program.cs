using Microsoft.Extensions.Configuration.Memory;
using WebVirt.Host.Agent;

// Settings come from appsettings.json beside the program, then environment variables: Agent__PanelUrl, or
// WEBVIRT_Agent__PanelUrl where a prefix keeps them apart (the systemd unit reads /etc/webvirt/agent.env).
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddEnvironmentVariables("WEBVIRT_");

// SignalR's client logs each failed connection attempt as an error with a stack trace, every few seconds while
// the panel is down; the agent's own lines say what failed and when it retries. Lowest priority: settings win.
builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
{
    InitialData = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Microsoft.AspNetCore.SignalR.Client"] = "Critical",
        ["Logging:LogLevel:Microsoft.AspNetCore.Http.Connections.Client"] = "Critical",
    },
});
builder.Services.AddSystemd();
builder.Services.AddWebVirtAgent();
builder.Build().Run();
