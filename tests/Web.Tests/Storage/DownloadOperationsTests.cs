using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Storage;
using WebVirt.TestSupport;
using WebVirt.Web.Inventory;
using WebVirt.Web.Tasks;
using WebVirt.Web.Tests.Agents;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Storage;

public sealed class DownloadOperationsTests : IDisposable
{
    private readonly PanelFactory _factory = new()
    {
        TestServices = services => services.ConfigureDbContext<WebVirtDbContext>(builder => builder.AddInterceptors(new FailingProgressInterceptor())),
    };

    [Fact]
    public async Task Follow_UnexpectedFailure_EndsTheTaskAsFailedWithTheReason()
    {
        // The agent reports progress; writing it fails with an error nobody listed (SQLite's, not EF Core's).
        using var admin = await PanelClients.AdminAsync(_factory);
        var host = await PanelClients.CreateHostAsync(admin, "node1");
        await using var agent = new FakeAgent(_factory, host.Token);
        agent.OnDownloads(
            _ => AgentReply.Success(),
            id => new DownloadStatusReply(AgentReply.Success(), new DownloadStatus { TransferId = id, ReceivedBytes = 1 << 20, TotalBytes = 4 << 20 }));
        await agent.ConnectAsync();
        Assert.True((await agent.RegisterAsync()).Accepted);
        var poolId = await AddPoolAsync(host.Id);

        using var response = await admin.PostAsJsonAsync($"/api/v1/hosts/{host.Id}/pools/{poolId}/downloads", new { url = "http://downloads.example/debian.iso" });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        var taskId = JsonDocument.Parse(body).RootElement.GetProperty("taskId").GetGuid();

        TaskRecord? task = null;
        await TestCluster.WaitUntilAsync(async () => (task = await TaskAsync(taskId)).Status != TaskState.Running, TimeSpan.FromSeconds(60), () => "The download's task is still running after its follower failed.");
        Assert.Equal(TaskState.Failed, task!.Status);
        Assert.Contains(FailingProgressInterceptor.Message, task.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithCredentialsInTheUrl_IsRefusedBeforeAnyTaskOrAgentCall()
    {
        using var admin = await PanelClients.AdminAsync(_factory);
        var host = await PanelClients.CreateHostAsync(admin, "node1");
        await using var agent = new FakeAgent(_factory, host.Token);
        var starts = 0;
        agent.OnDownloads(_ => { Interlocked.Increment(ref starts); return AgentReply.Success(); }, id => new DownloadStatusReply(AgentReply.Success(), null));
        await agent.ConnectAsync();
        Assert.True((await agent.RegisterAsync()).Accepted);
        var poolId = await AddPoolAsync(host.Id);

        using var response = await admin.PostAsJsonAsync($"/api/v1/hosts/{host.Id}/pools/{poolId}/downloads", new { url = "http://alice:hunter2@downloads.example/debian.iso" });
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("url", body, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", body, StringComparison.Ordinal);
        Assert.Equal(0, starts);
        var factory = _factory.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        Assert.False(await db.Tasks.AnyAsync(t => t.Kind == "storage.download"));
    }

    public void Dispose() => _factory.Dispose();

    private async Task<Guid> AddPoolAsync(Guid hostId)
    {
        var factory = _factory.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var pool = new StoragePool { Id = Guid.NewGuid(), HostId = hostId, Name = "isos", Path = "/srv/isos", ContentTypes = StorageContent.Iso };
        db.StoragePools.Add(pool);
        await db.SaveChangesAsync();
        return pool.Id;
    }

    private async Task<TaskRecord> TaskAsync(Guid taskId)
    {
        var factory = _factory.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        return await db.Tasks.AsNoTracking().SingleAsync(t => t.Id == taskId);
    }
}
