using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Backups;
using WebVirt.Shared.Snapshots;
using WebVirt.Shared.Storage;
using WebVirt.Web.Auth;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;
using WebVirt.Web.Permissions.Administration;
using WebVirt.Web.Tests.Agents;
using WebVirt.Web.Tests.Hosting;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Tests.Security;

/// <summary>
/// The real panel with one connected fake agent, a target VM in resource pool "prod" and another VM in pool "other",
/// and one user per <see cref="Identity"/>: "auditor" (Auditor on /), "stranger" (Operator on /pools/other) and
/// "owner" (Administrator on /pools/prod and on the host's default storage pool). Spare records (a host, a user, a
/// group, a role, a pool, an ACL entry, a storage pool, a pool file) are what destructive routes act on.
/// </summary>
internal sealed class AuthorizationPanel : IAsyncDisposable
{
    public const string ImagePool = "/var/lib/webvirt/images";
    public const string SpareStoragePath = "/srv/spare";
    public const string IsoPool = "/srv/iso";

    /// <summary>The target VM's name, unlikely to appear in a page by chance: pages must not show it to the other pool's operator.</summary>
    public const string TargetName = "vm-target-7f3";

    private readonly Dictionary<Identity, HttpClient> _tokens = [];
    private readonly Dictionary<Identity, string> _cookies = [];
    private readonly List<BackupInfo> _backups = [];
    private HttpClient _browser = null!;

    public PanelFactory Factory { get; } = new();

    public FakeAgent Agent { get; private set; } = null!;

    /// <summary>What the agent was asked to do that FakeAgent.Calls does not record.</summary>
    public List<string> OtherCalls { get; } = [];

    public Guid HostId { get; private set; }

    public Guid VmId { get; private set; }

    public Guid OtherVmId { get; private set; }

    public Guid StorageId { get; private set; }

    public Guid SpareStorageId { get; private set; }

    public Guid SpareHostId { get; private set; }

    /// <summary>The spare host's agent token; the host is revoked by a destructive route entry.</summary>
    public string SpareHostToken { get; private set; } = "";

    public string SpareUserId { get; private set; } = "";

    public Guid GroupId { get; private set; }

    public Guid SpareAclId { get; private set; }

    public Dictionary<Identity, string> UserIds { get; } = [];

    public IDbContextFactory<WebVirtDbContext> Contexts => Factory.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>();

    public static async Task<AuthorizationPanel> StartAsync()
    {
        var panel = new AuthorizationPanel();
        await panel.InitializeAsync();
        return panel;
    }

    private async Task InitializeAsync()
    {
        var admin = await PanelClients.AdminAsync(Factory);
        _tokens[Identity.Admin] = admin;
        var host = await PanelClients.CreateHostAsync(admin, "worker");
        HostId = host.Id;
        var spare = await PanelClients.CreateHostAsync(admin, "spare");
        SpareHostId = spare.Id;
        SpareHostToken = spare.Token;

        Agent = new FakeAgent(Factory, host.Token);
        Agent.HandlePowerAndOptions();
        Agent.HandleDisks();
        Agent.HandleCopiesAndCdrom(_backups);
        Agent.AddPoolFile(ImagePool, "seed.raw", 32L << 20, 32L << 20);
        Agent.AddPoolFile(ImagePool, "spare.raw", 32L << 20, 32L << 20);
        Agent.AddPoolFile(IsoPool, "guest.iso", 16L << 20, 16L << 20);
        Agent.OnSnapshots(
            request =>
            {
                OtherCalls.Add($"snapshot {request.Name}");
                return AgentReply.Success();
            },
            _ => new SnapshotListReply(AgentReply.Success(), [new VmSnapshot { Name = "first", CreatedAt = DateTimeOffset.UtcNow }], "first"));
        Agent.OnBackup(request =>
        {
            OtherCalls.Add($"backup {request.VmUuid}");
            return AgentReply.Success();
        });
        Agent.OnDownloads(
            request =>
            {
                OtherCalls.Add($"download {request.Url}");
                return AgentReply.Success();
            },
            _ => new DownloadStatusReply(AgentReply.Success(), null));
        await Agent.ConnectAsync();
        Assert.True((await Agent.RegisterAsync()).Accepted);

        VmId = await PanelClients.CreateVmAsync(admin, new { name = TargetName, hostId = HostId, memoryMiB = 256, disks = new[] { new { sizeMiB = 64 } } });
        OtherVmId = await PanelClients.CreateVmAsync(admin, new { name = "elsewhere", hostId = HostId, memoryMiB = 256 });
        var target = Agent.Defined.Single(d => d.Uuid == VmId);
        Agent.KnowDisks(target, 64L << 20);
        _backups.Add(new BackupInfo { Id = "20261201T031500Z", VmUuid = VmId, CreatedAt = DateTimeOffset.UtcNow, Definition = target });

        await using (var db = await Contexts.CreateDbContextAsync())
        {
            StorageId = (await db.StoragePools.SingleAsync(p => p.HostId == HostId && p.Path == ImagePool)).Id;
            SpareStorageId = Guid.NewGuid();
            db.StoragePools.Add(new StoragePool { Id = SpareStorageId, HostId = HostId, Name = "spare", Path = SpareStoragePath, ContentTypes = StorageContent.Images });
            db.StoragePools.Add(new StoragePool { Id = Guid.NewGuid(), HostId = HostId, Name = "isos", Path = IsoPool, ContentTypes = StorageContent.Iso });
            await db.SaveChangesAsync();
        }

        await AsAdminAsync((a, actor) => a.CreatePoolAsync(actor, "prod", null));
        await AsAdminAsync((a, actor) => a.CreatePoolAsync(actor, "other", null));
        await AsAdminAsync((a, actor) => a.CreatePoolAsync(actor, "spare", null));
        await AsAdminAsync((a, actor) => a.SetVmPoolAsync(actor, VmId, "prod"));
        await AsAdminAsync((a, actor) => a.SetVmPoolAsync(actor, OtherVmId, "other"));
        await AsAdminAsync((a, actor) => a.CreateGroupAsync(actor, "team", null));
        await AsAdminAsync((a, actor) => a.SaveRoleAsync(actor, "spare-role", [Privileges.VmAudit]));

        UserIds[Identity.Auditor] = await PanelAccess.CreateUserAsync(Factory, "auditor");
        UserIds[Identity.OtherPool] = await PanelAccess.CreateUserAsync(Factory, "stranger");
        UserIds[Identity.Owner] = await PanelAccess.CreateUserAsync(Factory, "owner");
        SpareUserId = await PanelAccess.CreateUserAsync(Factory, "spare");
        await AsAdminAsync((a, actor) => a.AddAclEntryAsync(actor, AclPaths.Root, UserIds[Identity.Auditor], null, BuiltInRoles.Auditor, propagate: true));
        await AsAdminAsync((a, actor) => a.AddAclEntryAsync(actor, "/pools/other", UserIds[Identity.OtherPool], null, BuiltInRoles.Operator, propagate: true));
        await AsAdminAsync((a, actor) => a.AddAclEntryAsync(actor, "/pools/prod", UserIds[Identity.Owner], null, BuiltInRoles.Administrator, propagate: true));
        await AsAdminAsync((a, actor) => a.AddAclEntryAsync(actor, $"/storage/{StorageId}", UserIds[Identity.Owner], null, BuiltInRoles.Administrator, propagate: false));
        await AsAdminAsync((a, actor) => a.AddAclEntryAsync(actor, "/pools/spare", SpareUserId, null, BuiltInRoles.Auditor, propagate: true));

        await using (var db = await Contexts.CreateDbContextAsync())
        {
            GroupId = (await db.AccessGroups.SingleAsync()).Id;
            SpareAclId = (await db.AclEntries.SingleAsync(e => e.Path == "/pools/spare")).Id;
        }

        foreach (var (identity, name) in new[] { (Identity.Auditor, "auditor"), (Identity.OtherPool, "stranger"), (Identity.Owner, "owner") })
        {
            _tokens[identity] = await TokenClientAsync(name, PanelAccess.UserPassword);
            _cookies[identity] = await PanelCookies.SignInAsync(Factory, name, PanelAccess.UserPassword);
        }

        _cookies[Identity.Admin] = await PanelCookies.SignInAsync(Factory, AdminBootstrap.AdminUserName, PanelFactory.AdminPassword);
        _browser = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        Agent.Calls.Clear();
    }

    /// <summary>The sign-in cookie of <paramref name="identity"/> ("webvirt=…").</summary>
    public string Cookie(Identity identity) => _cookies[identity];

    /// <summary>Replaces the placeholders of a route entry's path with this inventory's ids.</summary>
    public string Fill(string path) => path
        .Replace("{vm}", VmId.ToString(), StringComparison.Ordinal)
        .Replace("{otherVm}", OtherVmId.ToString(), StringComparison.Ordinal)
        .Replace("{host}", HostId.ToString(), StringComparison.Ordinal)
        .Replace("{spareHost}", SpareHostId.ToString(), StringComparison.Ordinal)
        .Replace("{storage}", StorageId.ToString(), StringComparison.Ordinal)
        .Replace("{spareStorage}", SpareStorageId.ToString(), StringComparison.Ordinal)
        .Replace("{spareUser}", SpareUserId, StringComparison.Ordinal)
        .Replace("{group}", GroupId.ToString(), StringComparison.Ordinal)
        .Replace("{spareAcl}", SpareAclId.ToString(), StringComparison.Ordinal)
        .Replace("{backup}", _backups[0].Id, StringComparison.Ordinal);

    /// <summary>Sends an entry's request as <paramref name="identity"/>: an API token for API routes, the sign-in cookie otherwise.</summary>
    public async Task<HttpResponseMessage> SendAsync(RouteEntry entry, Identity identity)
    {
        using var request = new HttpRequestMessage(new HttpMethod(entry.Method), Fill(entry.Path));
        if (entry.Body is { } body)
        {
            request.Content = new StringContent(Fill(body), Encoding.UTF8, "application/json");
        }
        else if (entry.Method is "PUT" && entry.Kind is RouteKind.Api)
        {
            request.Content = new ByteArrayContent([1, 2, 3, 4]);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        }

        if (identity is Identity.Anonymous)
        {
            return await _browser.SendAsync(request);
        }

        if (entry.Kind is RouteKind.Api)
        {
            return await _tokens[identity].SendAsync(request);
        }

        return await SendWithCookieAsync(request, identity);
    }

    /// <summary>As a browser: a renewed sign-in cookie (a page that changes the security stamp re-issues it) replaces the old one.</summary>
    private async Task<HttpResponseMessage> SendWithCookieAsync(HttpRequestMessage request, Identity identity)
    {
        request.Headers.Add("Cookie", _cookies[identity]);
        var response = await _browser.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var cookies)
            && cookies.FirstOrDefault(c => c.StartsWith("webvirt=", StringComparison.Ordinal) && !c.StartsWith("webvirt=;", StringComparison.Ordinal)) is { } renewed)
        {
            _cookies[identity] = renewed[..renewed.IndexOf(';', StringComparison.Ordinal)];
        }

        return response;
    }

    /// <summary>Sends <paramref name="request"/> as <paramref name="identity"/> with its API token (<paramref name="token"/>) or its sign-in cookie.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, Identity identity, bool token)
    {
        if (identity is Identity.Anonymous)
        {
            return _browser.SendAsync(request);
        }

        if (token)
        {
            return _tokens[identity].SendAsync(request);
        }

        return SendWithCookieAsync(request, identity);
    }

    /// <summary>Opens a same-origin WebSocket as a browser of <paramref name="identity"/> would; returns the refusal's status, or null when the upgrade was accepted.</summary>
    public async Task<int?> RefusedUpgradeAsync(string path, Identity identity, string? bearer = null)
    {
        var client = Factory.Server.CreateWebSocketClient();
        client.ConfigureRequest = request =>
        {
            if (identity is not Identity.Anonymous)
            {
                request.Headers.Cookie = _cookies[identity];
            }

            if (bearer is not null)
            {
                request.Headers.Authorization = $"Bearer {bearer}";
            }

            request.Headers.Origin = "http://localhost";
        };
        try
        {
            using var socket = await client.ConnectAsync(new Uri($"ws://localhost{Fill(path)}"), CancellationToken.None);
            socket.Abort();
            return null;
        }
        catch (InvalidOperationException refused)
        {
            // TestServer reports a refused upgrade as "Incomplete handshake, status code: 403".
            var digits = new string(refused.Message.Reverse().TakeWhile(char.IsDigit).Reverse().ToArray());
            return int.TryParse(digits, out var status) ? status : -1;
        }
    }

    /// <summary>The API token of <paramref name="identity"/>.</summary>
    public string Token(Identity identity) => _tokens[identity].DefaultRequestHeaders.Authorization!.Parameter!;

    public Task<string> FingerprintAsync() => StateFingerprint.TakeAsync(Contexts, [.. Agent.Calls, .. OtherCalls, .. Agent.Started.Select(s => $"started {s}")]);

    /// <summary>A user's principal as the panel's own services see it (for the UI operations, called directly).</summary>
    public async Task<ClaimsPrincipal> PrincipalAsync(Identity identity)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<WebVirtUser>>();
        var factory = scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<WebVirtUser>>();
        var user = identity is Identity.Admin ? await users.FindByNameAsync(AdminBootstrap.AdminUserName) : await users.FindByIdAsync(UserIds[identity]);
        return await factory.CreateAsync(user!);
    }

    private async Task<HttpClient> TokenClientAsync(string userName, string password)
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var response = await client.PostAsJsonAsync("/api/v1/auth/tokens", new TokenRequest(userName, password, "tests", null));
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<TokenResponse>())!.Token;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private Task AsAdminAsync(Func<AccessAdministration, ClaimsPrincipal, Task<OperationResult>> change) =>
        PanelAccess.AsAdminAsync(Factory, change);

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _tokens.Values)
        {
            client.Dispose();
        }

        _browser?.Dispose();
        await Agent.DisposeAsync();
        await Factory.DisposeAsync();
    }
}
