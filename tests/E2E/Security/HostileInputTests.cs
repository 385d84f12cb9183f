using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using WebVirt.TestSupport;
using Xunit.Abstractions;

namespace WebVirt.E2E.Tests.Security;

/// <summary>
/// The hostile-input corpus through the API of a real panel and agent: every value is refused with a problem+json that
/// names its field (never a 5xx, never exception text) or harmlessly accepted; nothing lands on disk; downloads never
/// reach loopback, not even through a redirect; and what is accepted reaches QEMU only inside its own option value.
/// </summary>
[Collection(RealProcessesCollection.Name)]
public sealed class HostileInputTests(HostileInputCluster fixture, ITestOutputHelper output) : IClassFixture<HostileInputCluster>
{
    private TestCluster Cluster => fixture.Cluster;

    [Fact]
    public void Corpus_HasAtLeast200Values()
    {
        var count = HostileInputs.All.Count() + LoopbackUrls().Count + UnreachableUrls.Length + RedirectTargets().Count;
        output.WriteLine($"{count} hostile values");
        Assert.True(count >= 200, $"only {count} values");
    }

    [Fact]
    public async Task EveryValue_IsRefusedNamingItsField_OrHarmlesslyAccepted_AndNothingLandsOnDisk()
    {
        var clock = Stopwatch.StartNew();
        var failures = new List<string>();
        var (refused, accepted) = (0, 0);
        foreach (var hostile in HostileInputs.All.Append(HostileInputs.PanelPortForward(fixture.PanelPort)))
        {
            var before = Files();
            var (status, contentType, body) = await SendAsync(hostile);
            string? failure = null;
            if (status == HttpStatusCode.BadRequest)
            {
                refused++;
                failure = hostile.RefusedByServer && body.Length == 0 ? null : ProblemBody.Problem(contentType, body, hostile.Field);
            }
            else if (status == HttpStatusCode.NotFound && hostile.NotFoundIsHarmless)
            {
                refused++;
            }
            else if ((int)status is >= 200 and < 300)
            {
                accepted++;
                failure = await CheckAcceptedAsync(hostile, body);
            }
            else
            {
                failure = $"answered {(int)status}";
            }

            var created = Files().Except(before).ToList();
            if (created.Count > 0)
            {
                failure = (failure is null ? "" : failure + "; ") + $"created on disk: {string.Join(", ", created)}";
            }

            if (failure is not null)
            {
                failures.Add($"{hostile}\n    → {(int)status}: {failure}\n    body: {Shorten(body)}");
            }
        }

        output.WriteLine($"{refused} refused, {accepted} harmlessly accepted, {failures.Count} failures in {clock.Elapsed.TotalSeconds:F0} s");
        Assert.True(failures.Count == 0, $"{failures.Count} hostile values were mishandled:\n{string.Join("\n", failures)}");
    }

    /// <summary>
    /// Every spelling of the host's own loopback address, each refused by the host before it connects. No trailing-dot
    /// names ("localhost."): those are looked up in DNS, which may leave the machine.
    /// </summary>
    private List<string> LoopbackUrls()
    {
        var port = fixture.Refused.EndPoint.Port;
        return
        [
            $"http://127.0.0.1:{port}/x.iso", $"http://127.1:{port}/x.iso", $"http://2130706433:{port}/x.iso",
            $"http://0x7f000001:{port}/x.iso", $"http://0177.0.0.1:{port}/x.iso", $"http://[::1]:{port}/x.iso",
            $"http://[::ffff:127.0.0.1]:{port}/x.iso", $"http://localhost:{port}/x.iso", $"http://LocalHost:{port}/x.iso",
            $"http://[::ffff:7f00:1]:{port}/x.iso", $"https://127.0.0.1:{port}/x.iso", $"http://127.255.255.254:{port}/x.iso",
            $"http://[0:0:0:0:0:0:0:1]:{port}/x.iso", $"http://127.0.0.1:{port}/x.iso?u=http://public.example/",
        ];
    }

    /// <summary>Link-local, private and special targets: the host refuses them from the address alone, so nothing is ever sent there.</summary>
    private static readonly string[] UnreachableUrls =
    [
        "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/x.iso", "http://10.0.0.1/x.iso", "http://10.255.255.255:8080/x.iso",
        "http://192.168.0.1/x.iso", "http://172.16.0.1/x.iso", "http://100.64.0.1/x.iso", "http://0.0.0.0/x.iso", "http://[::]/x.iso",
        "http://224.0.0.1/x.iso", "http://255.255.255.255/x.iso", "http://[fc00::1]/x.iso", "http://[::ffff:169.254.169.254]/x.iso",
        "http://2852039166/latest/meta-data/", "http://0xa9fea9fe/latest/meta-data/",
    ];

    /// <summary>Paths on the allowed server (127.0.0.2) and the refused targets they redirect to.</summary>
    private Dictionary<string, Uri> RedirectTargets() => new()
    {
        ["to-loopback"] = fixture.Refused.Url("x.iso"),
        ["to-localhost"] = new Uri($"http://localhost:{fixture.Refused.EndPoint.Port}/x.iso"),
        ["to-mapped"] = new Uri($"http://[::ffff:127.0.0.1]:{fixture.Refused.EndPoint.Port}/x.iso"),
        ["to-decimal"] = new Uri($"http://2130706433:{fixture.Refused.EndPoint.Port}/x.iso"),
        ["to-metadata"] = new Uri("http://169.254.169.254/latest/meta-data/"),
        ["to-private"] = new Uri("http://10.0.0.1/x.iso"),
        ["to-file"] = new Uri("file:///etc/passwd"),
        ["to-gopher"] = new Uri($"gopher://127.0.0.1:{fixture.Refused.EndPoint.Port}/_x"),
    };

    [Fact]
    public async Task DownloadsToLoopbackPrivateOrLinkLocal_AndRedirectsThere_FailOnTheHost_WithoutReachingThem()
    {
        var targets = RedirectTargets();
        foreach (var (path, target) in targets)
        {
            fixture.Redirector.Redirects[path] = target;
        }

        var poolFiles = PoolFiles();
        var failures = new List<string>();
        var urls = LoopbackUrls().Concat(UnreachableUrls).Concat(targets.Keys.Select(p => fixture.Redirector.Url(p).ToString()));
        var index = 0;
        foreach (var url in urls)
        {
            var fileName = $"dl{index++}.iso";
            using var response = await Cluster.Api.PostAsJsonAsync($"/api/v1/hosts/{fixture.HostId}/pools/{fixture.PoolId}/downloads", new { url, fileName });
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                if (ProblemBody.Problem(response.Content.Headers.ContentType, body, "url") is { } bad)
                {
                    failures.Add($"{url}: {bad}: {body}");
                }

                continue;
            }

            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                failures.Add($"{url}: answered {(int)response.StatusCode}: {Shorten(body)}");
                continue;
            }

            var (status, error) = await TaskEndAsync(JsonDocument.Parse(body).RootElement.GetProperty("taskId").GetGuid());
            if (status != "Failed" || error is null || !RefusalWords.Any(w => error.Contains(w, StringComparison.OrdinalIgnoreCase)))
            {
                failures.Add($"{url}: the task ended {status}: {error}");
            }
            else
            {
                output.WriteLine($"{url}: {error}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(0, fixture.Refused.Connections);
        Assert.True(fixture.Redirector.Connections >= targets.Count, $"the allowed server was asked {fixture.Redirector.Connections} times");
        Assert.Equal(poolFiles, PoolFiles());
    }

    private static readonly string[] RefusalWords = ["not a public address", "not http/https"];

    /// <summary>Pool folders whose names carry QEMU's separators, shell and quoting; the first is the plain baseline.</summary>
    private static readonly string[] PoolFolders = ["plain", "p,file=evil", "p,,q,", "-object x", "q'\"$(id)`id`", "ünï 日本", "a=b;c d"];

    private const string HostileDescription = "x,file=/etc/shadow\n-object memory-backend-file,id=m \"$(id)\"";

    [Fact]
    public async Task AcceptedHostileValues_ReachQemuOnlyInsideTheirOwnOptionValues()
    {
        List<(string Name, string? Value)>? baseline = null;
        var failures = new List<string>();
        var tested = 0;
        for (var i = 0; i < PoolFolders.Length; i++)
        {
            var folder = Path.Combine(Cluster.RootDirectory, "argv", PoolFolders[i]);
            Directory.CreateDirectory(folder);
            using var added = await Cluster.Api.PostAsJsonAsync($"/api/v1/hosts/{fixture.HostId}/pools", new { name = $"argv{i}", path = folder, contentTypes = "Iso, Images" });
            var addedBody = await added.Content.ReadAsStringAsync();
            if (!added.IsSuccessStatusCode)
            {
                Assert.True(i > 0, $"the plain pool was refused: {addedBody}");
                Assert.True(added.StatusCode == HttpStatusCode.BadRequest && ProblemBody.Problem(added.Content.Headers.ContentType, addedBody, "path") is null, $"pool '{folder}': {(int)added.StatusCode} {addedBody}");
                output.WriteLine($"pool folder '{PoolFolders[i]}' refused: {addedBody}");
                continue;
            }

            var poolId = (await PoolIdAsync($"argv{i}"));
            var iso = Cluster.Guest.CopyIsoInto(folder);
            var port = FreePort();
            var vmId = await CreateAsync(new
            {
                name = $"argv-{i}.x_y",
                hostId = fixture.HostId,
                memoryMiB = 128,
                cdromIsoPath = iso,
                disks = Array.Empty<object>(),
                nics = new[] { new { model = "Virtio", portForwards = new[] { new { hostAddress = "127.0.0.1", hostPort = port, guestPort = 22 } } } },
                description = HostileDescription,
            });
            await SucceedsAsync(HttpMethod.Post, $"/api/v1/vms/{vmId}/disks", new { poolId, sizeMiB = 1, bus = "Virtio" });
            await SucceedsAsync(HttpMethod.Patch, $"/api/v1/vms/{vmId}", new { tags = new[] { "evil-file.x", "object_m" } });
            await SucceedsAsync(HttpMethod.Post, $"/api/v1/vms/{vmId}/start", null);
            var vm = await Cluster.WaitForVmStateAsync(vmId, "Running");
            var disk = vm.GetProperty("definition").GetProperty("disks")[0].GetProperty("path").GetString()!;
            var argv = QemuArgv.Read(vm.GetProperty("pid").GetInt32());
            var options = QemuArgv.Options(argv);
            baseline ??= options;
            output.WriteLine($"pool '{PoolFolders[i]}': {string.Join(" ", argv.Where(a => a.Contains(folder, StringComparison.Ordinal) || a.Contains("hostfwd", StringComparison.Ordinal)))}");
            failures.AddRange(CheckArgv(PoolFolders[i], folder, [iso, disk], port, argv, options, baseline).Select(f => $"pool '{PoolFolders[i]}': {f}"));
            tested++;

            await SucceedsAsync(HttpMethod.Post, $"/api/v1/vms/{vmId}/stop", null);
            await Cluster.WaitForVmStateAsync(vmId, "Stopped");
            await SucceedsAsync(HttpMethod.Delete, $"/api/v1/vms/{vmId}?removeDisks=true", null);
            await SucceedsAsync(HttpMethod.Delete, $"/api/v1/hosts/{fixture.HostId}/pools/{poolId}", null);
        }

        output.WriteLine($"{tested} VMs started from hostile pool folders");
        Assert.True(tested >= 2, "no hostile pool folder was accepted: nothing reached QEMU");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>What is wrong with the arguments of a VM whose ISO and disk lie in <paramref name="folder"/>.</summary>
    private static IEnumerable<string> CheckArgv(string name, string folder, string[] files, int port, string[] argv,
        List<(string Name, string? Value)> options, List<(string Name, string? Value)> baseline)
    {
        // The same options in the same order with the same keys as the plain VM: nothing was added by a value.
        if (!options.Select(o => o.Name).SequenceEqual(baseline.Select(o => o.Name)))
        {
            yield return $"the options differ from the plain VM's: {string.Join(" ", options.Select(o => o.Name))}";
            yield break;
        }

        for (var i = 0; i < options.Count; i++)
        {
            var keys = options[i].Value is { } v ? QemuArgv.Parse(v).Select(p => p.Key) : [];
            var expected = baseline[i].Value is { } b ? QemuArgv.Parse(b).Select(p => p.Key) : [];
            if (!keys.SequenceEqual(expected))
            {
                yield return $"{options[i].Name} {options[i].Value} has keys [{string.Join(",", keys)}], the plain VM's [{string.Join(",", expected)}]";
            }
        }

        // Each file appears once, as the whole value of a filename key, escaped as QEMU reads it.
        foreach (var file in files)
        {
            var holders = options.Where(o => o.Value is { } v && v.Contains(file.Replace(",", ",,", StringComparison.Ordinal), StringComparison.Ordinal)).ToList();
            if (holders.Count != 1 || !QemuArgv.Parse(holders[0].Value!).Contains(("filename", file)))
            {
                yield return $"'{file}' is in {holders.Count} options: {string.Join(" | ", holders.Select(h => h.Value))}";
            }
        }

        if (folder.Contains(',', StringComparison.Ordinal)
            && argv.Any(a => QemuArgv.Parse(a).Any(p => p.Value.Contains(folder, StringComparison.Ordinal) && !files.Contains(p.Value))))
        {
            yield return "the folder appears outside its filename values";
        }

        if (!options.Any(o => o.Name == "-netdev" && o.Value is { } n && QemuArgv.Parse(n).Contains(("hostfwd", $"tcp:127.0.0.1:{port}-:22"))))
        {
            yield return $"no hostfwd for port {port}";
        }

        if (argv.Any(a => a.Contains("/etc/shadow", StringComparison.Ordinal) || a.Contains("evil-file", StringComparison.Ordinal) || a.Contains("memory-backend-file", StringComparison.Ordinal)))
        {
            yield return "the description or a tag reached QEMU";
        }

        if (name.Length > 0 && !options.Any(o => o.Name == "-name" && o.Value is { } n && QemuArgv.Parse(n).Any(p => p.Key == "guest" && p.Value.StartsWith("argv-", StringComparison.Ordinal))))
        {
            yield return "no -name guest=argv-…";
        }
    }

    private async Task<Guid> PoolIdAsync(string name)
    {
        var pools = JsonDocument.Parse(await Cluster.Api.GetStringAsync($"/api/v1/hosts/{fixture.HostId}/pools")).RootElement;
        return pools.EnumerateArray().Single(p => p.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();
    }

    private async Task<Guid> CreateAsync(object request)
    {
        using var response = await Cluster.Api.PostAsJsonAsync("/api/v1/vms", request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("vmId").GetGuid();
    }

    private async Task SucceedsAsync(HttpMethod method, string route, object? body)
    {
        using var request = new HttpRequestMessage(method, route) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await Cluster.Api.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{method} {route}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<(HttpStatusCode Status, System.Net.Http.Headers.MediaTypeHeaderValue? ContentType, string Body)> SendAsync(HostileCase hostile)
    {
        using var request = new HttpRequestMessage(new HttpMethod(hostile.Method), Fill(hostile.Route));
        if (hostile.Body is not null)
        {
            request.Content = new StringContent(Fill(hostile.Body), Encoding.UTF8, "application/json");
        }

        using var response = await Cluster.Api.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType, await response.Content.ReadAsStringAsync());
    }

    private string Fill(string text) => text
        .Replace("{host}", fixture.HostId.ToString(), StringComparison.Ordinal)
        .Replace("{pool}", fixture.PoolId.ToString(), StringComparison.Ordinal)
        .Replace("{vm}", fixture.TargetVmId.ToString(), StringComparison.Ordinal);

    /// <summary>An accept is harmless when it was expected, left the value as given, and changed nothing else; what it created is removed.</summary>
    private async Task<string?> CheckAcceptedAsync(HostileCase hostile, string body)
    {
        if (hostile.Method == "POST" && hostile.Route == "/api/v1/vms")
        {
            var vmId = JsonDocument.Parse(body).RootElement.GetProperty("vmId").GetGuid();
            using var deleted = await Cluster.Api.DeleteAsync($"/api/v1/vms/{vmId}?removeDisks=true");
            if (!hostile.MayBeAccepted)
            {
                return "a VM was created";
            }
        }

        if (!hostile.MayBeAccepted)
        {
            return "accepted";
        }

        var vm = await Cluster.GetVmAsync(fixture.TargetVmId);
        var mac = vm.GetProperty("definition").GetProperty("nics")[0].GetProperty("macAddress").GetString();
        if (mac != fixture.TargetMac)
        {
            return $"net0's MAC changed from {fixture.TargetMac} to {mac}";
        }

        if (hostile.StoredDescription is { } description && vm.GetProperty("description").GetString() != description)
        {
            return "the description was not stored as given";
        }

        return null;
    }

    /// <summary>Every file under the cluster's folder (panel, agent, pools, VM data and run folders).</summary>
    private HashSet<string> Files() =>
        [.. Directory.EnumerateFiles(Cluster.RootDirectory, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Cluster.RootDirectory, f))];

    private string[] PoolFiles() =>
        [.. Directory.EnumerateFiles(Cluster.ImagePool, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    /// <summary>Waits until the task no longer runs; its status and error, from the panel's SQLite file.</summary>
    private async Task<(string Status, string? Error)> TaskEndAsync(Guid taskId)
    {
        (string Status, string? Error) task = default;
        await TestCluster.WaitUntilAsync(
            async () =>
            {
                using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Cluster.DatabasePath};Mode=ReadOnly");
                await db.OpenAsync();
                using var command = db.CreateCommand();
                command.CommandText = "SELECT Status, Error FROM Tasks WHERE lower(Id) = lower($id)";
                command.Parameters.AddWithValue("$id", taskId.ToString());
                using var reader = await command.ExecuteReaderAsync();
                Assert.True(await reader.ReadAsync(), $"there is no task {taskId}");
                task = (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
                return task.Status != "Running";
            },
            TimeSpan.FromSeconds(60),
            () => $"download task {taskId} still runs");
        return task;
    }

    private static string Shorten(string text) => text.Length > 400 ? text[..400] + "…" : text;
}
