using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using WebVirt.Shared.Agents;
using WebVirt.Web.Account;
using WebVirt.Web.Agents;
using WebVirt.Web.Api.Access;
using WebVirt.Web.Api;
using WebVirt.Web.Auth;
using WebVirt.Web.Components;
using WebVirt.Web.Consoles;
using WebVirt.Web.Inventory;
using WebVirt.Web.Security;
using WebVirt.Web.Storage;
using WebVirt.Web.Tasks;
using WebVirt.Web.Tunnels;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Hosting;

public static class PanelExtensions
{
    /// <summary>Everything the panel needs: inventory, identity, the agent hub, the API, and the embedded agent when configured.</summary>
    public static WebApplicationBuilder AddWebVirtPanel(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        // Every SQL statement at Information drowns the panel's own log; appsettings may turn it back on.
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Warning);
        services.AddOptions<PanelOptions>().BindConfiguration(PanelOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddInventory(builder.Configuration);

        // Data Protection keys encrypt the disk keys of LUKS disks: they must live with the panel's data (and be
        // backed up with it), not in a home folder that a service account may lack (keys would then be in memory
        // only and every encrypted disk unreadable after a restart).
        var dataDirectory = Path.GetFullPath(builder.Configuration[$"{PanelOptions.SectionName}:{nameof(PanelOptions.DataDirectory)}"] ?? "data");
        var dataProtection = services.AddDataProtection()
            .SetApplicationName("WebVirt")
            .PersistKeysToFileSystem(PrivateFolder(Path.Combine(dataDirectory, "keys")));
        if (KeyProtectionCertificate.Load(builder.Configuration) is { } keyProtection)
        {
            // Named for decryption too: on Linux the default resolver looks for it only in the user's certificate store.
            dataProtection.ProtectKeysWithCertificate(keyProtection).UnprotectKeysWithAnyCertificate(keyProtection);
        }
        var urls = PanelUrls.From(builder.Configuration);
        if (urls.Any(u => u.Scheme == Uri.UriSchemeHttps))
        {
            var certificate = LoadCertificate(builder.Configuration, dataDirectory);
            services.AddSingleton(certificate);
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate.Certificate));
        }

        if (urls.Count > 0 && urls.All(u => u.Scheme == Uri.UriSchemeHttps))
        {
            services.Configure<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>(antiforgery => antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.Always);
        }

        services.AddProblemDetails();
        services.AddPanelSecurity();
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new StrictEnumConverterFactory());

            // {"name":"ok","name":"-object …"}: a body means one thing, or it is refused, whatever reads it.
            options.SerializerOptions.AllowDuplicateProperties = false;
        });

        // A body or query value that cannot be bound is thrown to BadRequestProblems, which names the field (the default is a bare 400).
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        services.AddIdentityCore<WebVirtUser>(options =>
            {
                // Length over composition rules (NIST SP 800-63B).
                options.Password.RequiredLength = 12;
                options.Password.RequiredUniqueChars = 5;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireDigit = false;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.User.RequireUniqueEmail = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<WebVirtDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<WebVirtClaimsPrincipalFactory>()
            .AddDefaultTokenProviders();

        services.AddSingleton<SignInLockouts>();
        services.AddSingleton<SignInEnds>();
        services.AddScoped<ISecurityStampValidator, EndedSignInStampValidator>();
        services.AddSingleton<UserThemes>();
        services.AddSingleton<WebVirt.Web.Search.InventorySearch>();
        services.AddSingleton<TaskFeed>();
        services.AddAuthentication(IdentityConstants.ApplicationScheme)
            .AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(options =>
            {
                // Served over HTTPS only: a __Host- cookie, Secure, for this host and port's origin alone (a page on
                // plain HTTP, or on a sibling domain, can neither read nor plant it).
                var httpsOnly = urls.Count > 0 && urls.All(u => u.Scheme == Uri.UriSchemeHttps);
                options.Cookie.Name = httpsOnly ? "__Host-webvirt" : "webvirt";
                options.Cookie.SecurePolicy = httpsOnly ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
                options.Cookie.Path = "/";
                options.LoginPath = AccountEndpoints.LoginPath;
                options.LogoutPath = "/account/logout";
                options.AccessDeniedPath = "/account/access-denied";
                options.ReturnUrlParameter = "returnUrl";
                options.SlidingExpiration = true;

                // The API answers 401/403; only pages redirect to a sign-in page.
                options.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
            }));
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<PanelOptions>>((cookie, panel) => cookie.ExpireTimeSpan = TimeSpan.FromMinutes(panel.Value.SessionIdleMinutes));
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, HostTokenAuthenticationHandler>(HostTokenAuthentication.Scheme, null)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthentication.Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.SignedIn, policy => policy
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme, ApiTokenAuthentication.Scheme)
                .RequireAuthenticatedUser())
            .AddPolicy(Policies.Administrator, policy => policy
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme, ApiTokenAuthentication.Scheme)
                .AddRequirements(new RootPrivilegeRequirement(WebVirt.Web.Permissions.Privileges.SysModify)));
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, RootPrivilegeHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();

        services.AddSignalR(options =>
        {
            // Screendumps come back as PNG bytes.
            options.MaximumReceiveMessageSize = 16 * 1024 * 1024;
            options.MaximumParallelInvocationsPerClient = 4;
        });
        services.AddSingleton<AgentRegistry>();
        services.AddSingleton<HostContacts>();
        services.AddSingleton<AgentGateway>();
        services.AddSingleton<TunnelBroker>();
        services.AddSingleton<ConsoleTargets>();
        services.AddSingleton<ConsoleTickets>();
        services.AddSingleton<ConsoleSessions>();
        services.AddSingleton<ConsoleAccessCheck>();
        services.AddHostedService<ConsoleAccessGuard>();
        services.AddSingleton<ConsoleShareLinks>();
        services.AddSingleton<WebVirt.Web.Thumbnails.IScreendumpSource, WebVirt.Web.Thumbnails.AgentScreendumpSource>();
        services.AddSingleton<WebVirt.Web.Thumbnails.VmThumbnails>();
        services.AddSingleton<WebVirt.Web.Thumbnails.IThumbnailAccess, WebVirt.Web.Thumbnails.ConsoleThumbnailAccess>();
        services.AddHostedService<WebVirt.Web.Thumbnails.VmThumbnailRefresher>();
        services.AddSingleton<HostStateSync>();
        services.AddSingleton<WebVirt.Web.Operations.OperationFinisher>();
        services.AddSingleton<WebVirt.Web.Operations.VmCommandPipeline>();
        services.AddSingleton<WebVirt.Web.Operations.VmCommandAccess>();
        services.AddScoped<VmOperations>();
        services.AddSingleton<WebVirt.Web.Encryption.DiskKeyVault>();
        services.AddScoped<WebVirt.Web.Snapshots.SnapshotOperations>();
        services.AddScoped<WebVirt.Web.Clones.CloneOperations>();
        services.AddScoped<WebVirt.Web.Backups.BackupOperations>();
        services.AddScoped<WebVirt.Web.Disks.DiskOperations>();
        services.AddSingleton<WebVirt.Web.Disks.DiskActivity>();
        services.AddHostedService<WebVirt.Web.Backups.BackupScheduler>();
        services.AddSingleton<WebVirt.Web.Permissions.PermissionService>();
        services.AddScoped<WebVirt.Web.Permissions.Administration.AccessAdministration>();
        services.AddScoped<WebVirt.Web.Components.Shared.PermittedQueries>();
        services.AddSingleton<WebVirt.Web.Components.Shared.VmRowSnapshot>();
        services.AddScoped<HostRegistration>();
        services.AddStorage();

        // Static web assets (MudBlazor's _content) are served from the NuGet cache when the panel runs from
        // its build output (run.sh, the E2E tests) in any environment, not only Development; after
        // `dotnet publish` there is no manifest and this does nothing, the files are in wwwroot then.
        builder.WebHost.UseStaticWebAssets();
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddMudServices(mud => mud.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight);

        // The local host's record and token; the agent itself is added by the program (src/Web.Host).
        if (EmbeddedAgent.IsConfigured(builder.Configuration))
        {
            services.AddSingleton<EmbeddedAgent>();
        }

        return builder;
    }

    /// <summary>Applies migrations, creates roles and the first administrator, prepares the embedded agent's host.</summary>
    public static async Task InitializeWebVirtAsync(this WebApplication app)
    {
        await app.Services.InitializeInventoryAsync();
        using var scope = app.Services.CreateScope();
        await AdminBootstrap.EnsureAsync(scope.ServiceProvider, app.Configuration, app.Logger);
        if (app.Services.GetService<EmbeddedAgent>() is { } embedded)
        {
            await embedded.PrepareAsync(app.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>(), app.Configuration);
        }
    }

    public static WebApplication MapWebVirtPanel(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseMiddleware<BadRequestProblems>();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseApiCsrfProtection();
        app.UseMiddleware<PasswordChangeGate>();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        app.MapHub<AgentHub>(AgentProtocol.HubPath);
        app.MapTunnelEndpoints();
        app.MapConsoleEndpoints();
        app.MapShareEndpoints();

        var api = app.MapGroup("/api/v1");
        api.MapAuthEndpoints();
        api.MapHostEndpoints();
        api.MapVmEndpoints();
        api.MapDiskEndpoints();
        api.MapSnapshotEndpoints();
        api.MapAccessEndpoints();
        api.MapCloneEndpoints();
        api.MapStorageEndpoints();
        api.MapBackupEndpoints();

        app.Lifetime.ApplicationStarted.Register(() => PrintWhereToSignIn(app));
        app.MapAccountEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    private static void PrintWhereToSignIn(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            Console.WriteLine($"WebVirt panel ready: {address} (API at {address}/api/v1, user '{AdminBootstrap.AdminUserName}')");
        }
    }

    private static PanelCertificate LoadCertificate(IConfiguration configuration, string dataDirectory)
    {
        var tls = configuration.GetSection($"{PanelOptions.SectionName}:{nameof(PanelOptions.Tls)}").Get<PanelTlsOptions>() ?? new PanelTlsOptions();
        return PanelCertificate.LoadOrCreate(
            tls.CertificatePath ?? Path.Combine(dataDirectory, "tls", "panel.crt"),
            tls.KeyPath ?? Path.Combine(dataDirectory, "tls", "panel.key"),
            mayCreate: tls.CertificatePath is null && tls.KeyPath is null);
    }

    /// <summary>A 0700 folder, narrowed to that if it existed with wider permissions (the Data Protection keys live there).</summary>
    private static DirectoryInfo PrivateFolder(string path)
    {
        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        var folder = Directory.CreateDirectory(path, OwnerOnly);
        File.SetUnixFileMode(path, OwnerOnly);
        return folder;
    }

    private static Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
