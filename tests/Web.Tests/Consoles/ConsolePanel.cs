using System.Net.WebSockets;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Shared.Tunnels;
using WebVirt.Web.Auth;
using WebVirt.Web.Consoles;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;
using WebVirt.Web.Tests.Hosting;
using WebVirt.Web.Tests.Inventory;
using WebVirt.Web.Tests.Tunnels;

namespace WebVirt.Web.Tests.Consoles;

/// <summary>
/// The in-process panel with a connected echoing agent, two VMs on its host, and users to sign in as:
/// two administrators and an operator without privileges. Console WebSockets go through the real endpoint.
/// </summary>
internal sealed partial class ConsolePanel : IAsyncDisposable
{
    public const string Password = "another-long-password-9";

    private ConsolePanel(PanelFactory factory, ManualClock clock, TunnelAgent agent, Guid vmA, Guid vmB)
    {
        Factory = factory;
        Clock = clock;
        Agent = agent;
        VmA = vmA;
        VmB = vmB;
    }

    public PanelFactory Factory { get; }

    public ManualClock Clock { get; }

    public TunnelAgent Agent { get; }

    public Guid VmA { get; }

    public Guid VmB { get; }

    public ConsoleTickets Tickets => Factory.Services.GetRequiredService<ConsoleTickets>();

    public static async Task<ConsolePanel> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var clock = new ManualClock();
        var factory = new PanelFactory { Clock = clock, Settings = settings };
        using var admin = await PanelClients.AdminAsync(factory);
        var host = await PanelClients.CreateHostAsync(admin, "node1");
        var agent = await TunnelAgent.StartAsync(factory, host.Token);
        var contexts = factory.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            db.Vms.Add(new VmRecord { Id = Guid.NewGuid(), HostId = host.Id, Name = "vm-a" });
            db.Vms.Add(new VmRecord { Id = Guid.NewGuid(), HostId = host.Id, Name = "vm-b" });
            await db.SaveChangesAsync();
        }

        using var scope = factory.Services.CreateScope();
        await CreateUserAsync(scope.ServiceProvider, "admin2", administrator: true);
        await CreateUserAsync(scope.ServiceProvider, "operator", administrator: false);
        await using var read = await contexts.CreateDbContextAsync();
        var vms = await read.Vms.OrderBy(v => v.Name).Select(v => v.Id).ToListAsync();
        return new ConsolePanel(factory, clock, agent, vms[0], vms[1]);
    }

    /// <summary>The user as the panel sees them once signed in (roles included), for issuing tickets.</summary>
    public async Task<ClaimsPrincipal> PrincipalAsync(string userName)
    {
        using var scope = Factory.Services.CreateScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<WebVirtUser>>();
        return await signIn.CreateUserPrincipalAsync((await signIn.UserManager.FindByNameAsync(userName))!);
    }

    public async Task<string> TicketAsync(string userName, Guid vmId, TunnelKind kind = TunnelKind.Vnc) =>
        (await Tickets.IssueAsync(await PrincipalAsync(userName), vmId, kind))!.Value;

    /// <summary>Signs in through the real form and returns the auth cookie ("webvirt=…").</summary>
    public async Task<string> CookieAsync(string userName)
    {
        using var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var form = await client.GetStringAsync("/account/login");
        var token = AntiforgeryToken().Match(form).Groups[1].Value;
        using var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["UserName"] = userName,
            ["Password"] = userName == "admin" ? PanelFactory.AdminPassword : Password,
            ["ReturnUrl"] = "/",
        }));
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("webvirt=", StringComparison.Ordinal));
        return cookie[..cookie.IndexOf(';', StringComparison.Ordinal)];
    }

    /// <summary>Opens a console WebSocket as a browser would; throws when the panel refuses the upgrade.</summary>
    public Task<WebSocket> ConnectAsync(Guid vmId, string kind, string? ticket, string? cookie, string? origin = null)
    {
        var client = Factory.Server.CreateWebSocketClient();
        client.ConfigureRequest = request =>
        {
            if (cookie is not null)
            {
                request.Headers.Cookie = cookie;
            }

            request.Headers.Origin = origin ?? "http://localhost";
        };
        var query = ticket is null ? "" : $"?ticket={Uri.EscapeDataString(ticket)}";
        return client.ConnectAsync(new Uri($"ws://localhost{ConsoleEndpoints.Path}/{vmId}/{kind}{query}"), CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await Agent.DisposeAsync();
        Factory.Dispose();
    }

    // An administrator is one through an ACL entry (Administrator on "/"), as the admin pages make them.
    private static async Task CreateUserAsync(IServiceProvider services, string name, bool administrator)
    {
        var users = services.GetRequiredService<UserManager<WebVirtUser>>();
        var user = new WebVirtUser { UserName = name };
        var created = await users.CreateAsync(user, Password);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        if (administrator)
        {
            await users.AddToRoleAsync(user, Roles.Administrator);
            await using var db = await services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>().CreateDbContextAsync();
            db.AclEntries.Add(new AclEntry { Id = Guid.NewGuid(), Path = AclPaths.Root, UserId = user.Id, RoleName = Roles.Administrator, Propagate = true });
            await db.SaveChangesAsync();
            services.GetRequiredService<PermissionService>().NotifyChanged();
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
