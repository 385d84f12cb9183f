using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Web.Inventory;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Api;

/// <summary>Bad input gets 400 with a message that names the problem, and nothing is created anywhere.</summary>
public sealed class VmApiValidationTests : IDisposable
{
    private readonly PanelFactory _factory = new();

    public static TheoryData<string, string> BadRequests => new()
    {
        { """{"name":"bad name","memoryMiB":512}""", "name:" },
        { """{"name":"-daemonize","memoryMiB":512}""", "name:" },
        { """{"name":"a,b=c","memoryMiB":512}""", "name:" },
        { """{"name":"ok","memoryMiB":0}""", "memoryMiB:" },
        { """{"name":"ok","memoryMiB":-512}""", "memoryMiB:" },
        { """{"name":"ok","memoryMiB":999999999}""", "memoryMiB:" },
        { """{"name":"ok","cores":0}""", "cpu:" },
        { """{"name":"ok","cores":-2}""", "cpu:" },
        { """{"name":"ok","sockets":100,"cores":100}""", "cpu:" },
        { """{"name":"ok","disks":[{"sizeMiB":0}]}""", "disks[0].sizeMiB" },
        { """{"name":"ok","disks":[{"sizeMiB":999999999999}]}""", "disks[0].sizeMiB" },
        { """{"name":"ok","cdromIsoPath":"../../etc/shadow"}""", "cdrom.isoPath" },
        { """{"name":"ok","hostId":"4f1d8b6e-0000-4000-8000-000000000000"}""", "hostId: no host" },
        { "{\"name\":\"ok\",\"description\":\"" + new string('d', 20_001) + "\"}", "description: at most" },
        { """{"name":"ok","nics":[{"portForwards":[{"hostPort":0,"guestPort":22}]}]}""", "nics[0].portForwards[0].hostPort:" },

        // Values the JSON binding itself cannot take: named by their field, never in the serializer's words.
        { """{"name":"ok","memoryMiB":"abc"}""", "memoryMiB: not a valid value" },
        { """{"name":"ok","memoryMiB":2147483648}""", "memoryMiB: not a valid value" },
        { """{"name":"ok","machine":"Pc99"}""", "machine: must be one of" },
        { """{"name":"ok","machine":99}""", "machine: must be one of" },
        { """{"name":"ok","nics":[{"model":"Virtio,E1000"}]}""", "nics[0].model: must be one of" },
        { """{"name":"ok","nics":[{"portForwards":[{"protocol":"tcp,udp","hostPort":2222,"guestPort":22}]}]}""", "nics[0].portForwards[0].protocol: must be one of" },
        { """{"name":"ok",""", "body: not valid JSON" },
        { """{"name":"ok","memoryMiB":256,"memoryMiB":999999}""", "memoryMiB: given more than once" },
        { "", "body:" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Create_BadInput_Is400WithAClearMessageAndCreatesNothing(string json, string expected)
    {
        using var admin = await PanelClients.AdminAsync(_factory);
        await RegisteredHostAsync();

        using var response = await admin.PostAsync("/api/v1/vms", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains(expected, detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("WebVirt.", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Path: $", detail, StringComparison.Ordinal);
        await using var db = await Contexts().CreateDbContextAsync();
        Assert.Empty(await db.Vms.ToListAsync());
        Assert.Empty(await db.Tasks.ToListAsync());
    }

    [Fact]
    public async Task Create_NoHostAgentEverConnected_IsAConflictAndCreatesNothing()
    {
        using var admin = await PanelClients.AdminAsync(_factory);
        await PanelClients.CreateHostAsync(admin, "fresh");

        using var response = await admin.PostAsJsonAsync("/api/v1/vms", new { name = "vm1" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("has not registered yet", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_HostOffline_FailsWithoutCreatingTheVm()
    {
        using var admin = await PanelClients.AdminAsync(_factory);
        await RegisteredHostAsync();

        using var response = await admin.PostAsJsonAsync("/api/v1/vms", new { name = "vm1", memoryMiB = 256 });

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("offline", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = await Contexts().CreateDbContextAsync();
        Assert.Empty(await db.Vms.ToListAsync());
        Assert.Equal(WebVirt.Web.Tasks.TaskState.Failed, (await db.Tasks.SingleAsync()).Status);
    }

    [Theory]
    [InlineData("/api/v1/vms/4f1d8b6e-0000-4000-8000-000000000000/start", "POST")]
    [InlineData("/api/v1/vms/4f1d8b6e-0000-4000-8000-000000000000", "DELETE")]
    [InlineData("/api/v1/vms/4f1d8b6e-0000-4000-8000-000000000000", "GET")]
    public async Task UnknownVm_Is404(string path, string method)
    {
        using var admin = await PanelClients.AdminAsync(_factory);

        using var response = await admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("-lead")]
    public async Task CreateHost_BadName_Is400(string name)
    {
        using var admin = await PanelClients.AdminAsync(_factory);

        using var response = await admin.PostAsJsonAsync("/api/v1/hosts", new { name });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    /// <summary>A host that has registered once (so it has an image pool) but whose agent is not connected now.</summary>
    private async Task RegisteredHostAsync()
    {
        await using var db = await Contexts().CreateDbContextAsync();
        db.Hosts.Add(new HostRecord { Id = Guid.NewGuid(), Name = "away", TokenHash = "x", ImagePool = "/var/lib/webvirt/images" });
        await db.SaveChangesAsync();
    }

    private IDbContextFactory<WebVirtDbContext> Contexts() => _factory.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>();

    public void Dispose() => _factory.Dispose();
}
