using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Shared.Agents;
using WebVirt.Web.Inventory;
using WebVirt.Web.Tasks;
using WebVirt.Web.Tests.Agents;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Operations;

/// <summary>The shared pipeline of agent-backed VM operations, through an operation that uses it (back up now).</summary>
public sealed class VmCommandPipelineTests : IAsyncLifetime
{
    private readonly PanelFactory _factory = new();
    private HttpClient _admin = default!;
    private FakeAgent _agent = default!;
    private Guid _vmId;

    public async Task InitializeAsync()
    {
        _admin = await PanelClients.AdminAsync(_factory);
        var host = await PanelClients.CreateHostAsync(_admin, "node1");
        _agent = new FakeAgent(_factory, host.Token);
        await _agent.ConnectAsync();
        Assert.True((await _agent.RegisterAsync()).Accepted);
        _vmId = await PanelClients.CreateVmAsync(_admin, new { name = "vm1", memoryMiB = 256 });
    }

    [Fact]
    public async Task Failure_FailsTheTaskAndNotifiesLikeASuccess()
    {
        // Backups used to fail their task without telling open pages, while snapshots told them.
        _agent.OnBackup(_ => AgentReply.Failure(AgentErrorKind.Conflict, "A backup of this VM is already running."));
        var events = 0;
        void Count(Guid id)
        {
            if (id == _vmId)
            {
                Interlocked.Increment(ref events);
            }
        }

        var notifier = _factory.Services.GetRequiredService<InventoryNotifier>();
        notifier.VmChanged += Count;
        HttpStatusCode status;
        try
        {
            using var response = await _admin.PostAsync($"/api/v1/vms/{_vmId}/backups?keepLast=3", null);
            status = response.StatusCode;
        }
        finally
        {
            notifier.VmChanged -= Count;
        }

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(1, Volatile.Read(ref events));
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>().CreateDbContextAsync();
        var task = await db.Tasks.AsNoTracking().SingleAsync(t => t.Kind == "vm.backup");
        Assert.Equal((TaskState.Failed, "A backup of this VM is already running.", "admin"), (task.Status, task.Error, task.UserName));
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        _admin.Dispose();
        await _factory.DisposeAsync();
    }
}
