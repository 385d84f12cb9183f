using WebVirt.Web.Host;
using WebVirt.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddWebVirtPanel();
builder.AddEmbeddedAgentWhenConfigured();

var app = builder.Build();
await app.InitializeWebVirtAsync();
app.MapWebVirtPanel();
app.Run();

/// <summary>Entry point type, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
