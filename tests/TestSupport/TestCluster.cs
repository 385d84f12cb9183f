using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;


namespace WebVirt.TestSupport;

/// <summary>
/// A panel process and a standalone agent process on loopback, with their data in one temp folder: what a
/// two-process install of WebVirt looks like. Either can be killed and started again over the same data.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    public const string AdminPassword = "correct-horse-battery-7";

    private readonly TempFolder _folder = new("wve");
    private readonly int _port = FreePort();

    private readonly bool _https;

    /// <param name="https">Whether the panel listens on https (its self-signed certificate, which <see cref="Api"/> trusts by its file alone).</param>
    public TestCluster(bool https = false)
    {
        _https = https;
        Api = new HttpClient(TrustingHandler());
        Guest = TestGuest.Locate();
        Directory.CreateDirectory(_folder.Combine("panel"));
        Directory.CreateDirectory(_folder.Combine("agent"));
    }

    public TestGuest Guest { get; }

    public ProgramProcess? Panel { get; private set; }

    public ProgramProcess? Agent { get; private set; }

    public HttpClient Api { get; }

    public string PanelUrl => $"{(_https ? "https" : "http")}://127.0.0.1:{_port}";

    /// <summary>The certificate the panel made at its first start (with https).</summary>
    public string PanelCertificatePath => Path.Combine(PanelDataDirectory, "tls", "panel.crt");

    /// <summary>The folder that holds every file of the panel and the agent (to search all of them, e.g. for a leaked secret).</summary>
    public string RootDirectory => _folder.Path;

    /// <summary>The panel's own state; <c>keys/</c> in it holds the Data Protection keys that seal disk keys.</summary>
    public string PanelDataDirectory => _folder.Combine("panel-data");

    public string AgentRunDirectory => _folder.Combine("run");

    public string AgentVmDataDirectory => _folder.Combine("agent", "vms");

    public string ImagePool => _folder.Combine("agent", "images");

    /// <summary>The test guest's ISO, copied into the agent's image pool (agents only use ISOs from their pools).</summary>
    public string GuestIsoInPool => Guest.CopyIsoInto(ImagePool);

    /// <summary>The panel's inventory (SQLite), for tests that read what the API does not show.</summary>
    public string DatabasePath => _folder.Combine("panel", "webvirt.db");

    /// <summary>A handler that trusts what <see cref="Api"/> trusts: the system's roots, or exactly the panel's certificate file.</summary>
    public HttpClientHandler TrustingHandler() => new() { ServerCertificateCustomValidationCallback = TrustsPanelCertificate };

    /// <summary>A certificate the system trusts, or exactly the one in the panel's certificate file: no blanket acceptance.</summary>
    private bool TrustsPanelCertificate(HttpRequestMessage request, X509Certificate2? certificate,
        X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || !File.Exists(PanelCertificatePath))
        {
            return false;
        }

        using var expected = X509Certificate2.CreateFromPem(File.ReadAllText(PanelCertificatePath));
        return expected.Thumbprint == certificate.Thumbprint;
    }

    /// <summary>Starts the panel; <paramref name="settings"/> adds environment variables (configuration keys with '__').</summary>
    public async Task StartPanelAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = PanelUrl,
            ["Panel__ConnectionStrings__Inventory"] = $"Data Source={DatabasePath}",
            ["Panel__DataDirectory"] = PanelDataDirectory,
            ["Agent__Embedded"] = "false",
            ["WEBVIRT_ADMIN_PASSWORD"] = AdminPassword,
            // The tests sign in and ask for tokens many times a minute, all from 127.0.0.1.
            ["Security__SignInPermitLimit"] = "10000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        Panel = ProgramProcess.Start("Web.Host", "WebVirt.Web.Host", _folder.Combine("panel"), environment, ["--webroot", Path.Combine(ProgramProcess.RepositoryRoot, "src", "Web", "wwwroot")]);
        Api.BaseAddress ??= new Uri(PanelUrl);
        await WaitUntilAsync(async () =>
        {
            try
            {
                using var response = await Api.GetAsync("/");
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), () => $"the panel did not start:\n{Panel.Output}");

        if (Api.DefaultRequestHeaders.Authorization is null)
        {
            using var response = await Api.PostAsJsonAsync("/api/v1/auth/tokens", new { userName = "admin", password = AdminPassword });
            response.EnsureSuccessStatusCode();
            var token = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString();
            Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    /// <summary>
    /// Starts the panel as the single-machine setup runs it: the local host's agent inside the panel's process
    /// (<c>Agent:Embedded</c>), with the agent's folders of this cluster; returns the local host's id once connected.
    /// </summary>
    public async Task<Guid> StartEmbeddedPanelAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>(AgentSettings)
        {
            ["Agent__Embedded"] = "true",
            ["Agent__ImageDirectory"] = ImagePool,
            ["Agent__PoolRoots__0"] = RootDirectory,
            ["Hypervisor__DataDirectory"] = AgentVmDataDirectory,
            ["Hypervisor__RunDirectory"] = AgentRunDirectory,
            ["Hypervisor__ForceAccelerator"] = "Tcg",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        await StartPanelAsync(environment);
        Guid? hostId = null;
        await WaitUntilAsync(async () =>
        {
            var hosts = JsonDocument.Parse(await Api.GetStringAsync("/api/v1/hosts")).RootElement;
            hostId = hosts.EnumerateArray().Where(h => h.GetProperty("isLocal").GetBoolean() && h.GetProperty("connected").GetBoolean()).Select(h => (Guid?)h.GetProperty("id").GetGuid()).FirstOrDefault();
            return hostId is not null;
        }, TimeSpan.FromSeconds(60), () => $"the embedded agent's host did not connect.\nPanel output:\n{Panel?.Output}");
        return hostId!.Value;
    }

    /// <summary>The token of the host made by <see cref="AddHostAsync"/>, as a restarted agent reads it from its config.</summary>
    public string? AgentToken { get; private set; }

    /// <summary>Settings (environment variables, '__' for ':') every agent of this cluster gets, the embedded one included.</summary>
    public Dictionary<string, string> AgentSettings { get; } = [];

    public ProgramProcess StartAgent(string token)
    {
        AgentToken = token;

        // As the unit hands it over: a 0600 file, not the environment.
        var tokenFile = _folder.Combine("agent-token");
        File.WriteAllText(tokenFile, token);
        File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Agent = ProgramProcess.Start("Host.Agent", "WebVirt.Host.Agent", _folder.Combine("agent"), new Dictionary<string, string>(AgentSettings)
        {
            ["Agent__PanelUrl"] = PanelUrl,
            ["Agent__TokenFile"] = tokenFile,
            ["Agent__ImageDirectory"] = ImagePool,
            ["Agent__PoolRoots__0"] = RootDirectory,
            ["Hypervisor__DataDirectory"] = AgentVmDataDirectory,
            ["Hypervisor__RunDirectory"] = AgentRunDirectory,
            ["Hypervisor__ForceAccelerator"] = "Tcg",
        });
        return Agent;
    }

    /// <summary>Creates a VM that boots the test guest from its ISO (256 MiB, no disk; the pool's copy of the guest ISO unless <paramref name="isoPath"/> names another) on the host, starts it and waits until it runs.</summary>
    public async Task<Guid> CreateAndStartGuestVmAsync(Guid hostId, string name, string? isoPath = null)
    {
        using var response = await Api.PostAsJsonAsync("/api/v1/vms", new
        {
            name,
            hostId,
            memoryMiB = 256,
            cdromIsoPath = isoPath ?? GuestIsoInPool,
            disks = Array.Empty<object>(),
        });
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"create: {(int)response.StatusCode} {body}");
        }

        var vmId = JsonDocument.Parse(body).RootElement.GetProperty("vmId").GetGuid();
        using var start = await Api.PostAsync($"/api/v1/vms/{vmId}/start", null);
        if (!start.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"start: {(int)start.StatusCode} {await start.Content.ReadAsStringAsync()}");
        }

        await WaitForVmStateAsync(vmId, "Running");
        return vmId;
    }

    /// <summary>Creates a host through the API, starts its agent, and waits until the panel shows it connected.</summary>
    public async Task<Guid> AddHostAsync(string name)
    {
        using var response = await Api.PostAsJsonAsync("/api/v1/hosts", new { name });
        response.EnsureSuccessStatusCode();
        var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var hostId = created.GetProperty("id").GetGuid();
        StartAgent(created.GetProperty("token").GetString()!);
        await WaitForHostAsync(hostId, connected: true);
        return hostId;
    }

    public async Task WaitForHostAsync(Guid hostId, bool connected) =>
        await WaitUntilAsync(async () =>
        {
            var hosts = JsonDocument.Parse(await Api.GetStringAsync("/api/v1/hosts")).RootElement;
            return hosts.EnumerateArray().Any(h => h.GetProperty("id").GetGuid() == hostId && h.GetProperty("connected").GetBoolean() == connected);
        }, TimeSpan.FromSeconds(60), () => $"host {hostId} did not become connected={connected}.\nAgent output:\n{Agent?.Output}\nPanel output:\n{Panel?.Output}");

    public async Task<JsonElement> GetVmAsync(Guid vmId) =>
        JsonDocument.Parse(await Api.GetStringAsync($"/api/v1/vms/{vmId}")).RootElement;

    /// <summary>Waits until the panel's inventory shows the VM in this state.</summary>
    public async Task<JsonElement> WaitForVmStateAsync(Guid vmId, string state)
    {
        JsonElement vm = default;
        await WaitUntilAsync(async () =>
        {
            vm = await GetVmAsync(vmId);
            return vm.GetProperty("state").GetString() == state;
        }, TimeSpan.FromSeconds(90), () => $"VM {vmId} did not reach {state}; last seen: {vm}");
        return vm;
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(describe());
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        if (Agent is not null)
        {
            await Agent.DisposeAsync();
        }

        if (Panel is not null)
        {
            await Panel.DisposeAsync();
        }

        // Whatever VM a test left running goes with its folder.
        QemuProcesses.KillAll(_folder.Path);

        _folder.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
