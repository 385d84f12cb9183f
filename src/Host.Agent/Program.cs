using WebVirt.Host.Agent;

// Settings come from appsettings.json beside the program, then environment variables: Agent__PanelUrl, or
// WEBVIRT_Agent__PanelUrl where a prefix keeps them apart (the systemd unit reads /etc/webvirt/agent.env).
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddEnvironmentVariables("WEBVIRT_");
builder.Services.AddSystemd();
builder.Services.AddWebVirtAgent();
builder.Build().Run();
