using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebVirt.Host.Agent.Configuration;
using WebVirt.Host.Agent.Vms;
using WebVirt.Hypervisor.Configuration;
using WebVirt.Hypervisor.Images;
using WebVirt.Hypervisor.Processes;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Hosts;
using WebVirt.Shared.Vms;
using WebVirt.TestSupport;

namespace WebVirt.Host.Agent.Tests.Vms;

/// <summary>
/// One agent's folders (VM data, run sockets, image pool) in a temp folder, and VM hosts over them: a new
/// host over the same folders is the agent after a restart. On dispose every QEMU left running is stopped.
/// </summary>
internal sealed class AgentTestFolders : IAsyncDisposable
{
    private readonly TempFolder _folder = new("wva");
    private readonly List<TestAgent> _hosts = [];
    private readonly ILoggerFactory _loggerFactory;
    private TestGuest? _guest;

    public AgentTestFolders(ITestOutputHelper? output = null)
    {
        _loggerFactory = LoggerFactory.Create(logging =>
        {
            if (output is not null)
            {
                logging.AddProvider(new XunitLoggerProvider(output));
            }
        });
        Hypervisor = new HypervisorOptions
        {
            DataDirectory = _folder.Combine("data"),
            RunDirectory = _folder.Combine("run"),
            ForceAccelerator = Accelerator.Tcg,
        };
        // Pools in tests live in this temp folder, outside the default roots: it is the one root these agents allow.
        Agent = new AgentOptions { ImageDirectory = _folder.Combine("images"), PoolListFile = _folder.Combine("pools.json"), PoolRoots = [_folder.Path], Embedded = true };
    }

    public HypervisorOptions Hypervisor { get; }

    public AgentOptions Agent { get; }

    public string Root => _folder.Path;

    public string Pool => Agent.ImageDirectory;

    public TestGuest Guest => _guest ??= TestGuest.Locate();

    /// <summary>The guest's ISO copied into the pool, where DefineVm accepts it.</summary>
    public string GuestIso => Guest.CopyIsoInto(Pool);

    public VmSupervisor Supervisor => new(Options.Create(Hypervisor));

    /// <summary>The configuration keys that give a hosted agent these folders.</summary>
    public Dictionary<string, string?> Configuration => new()
    {
        ["Hypervisor:DataDirectory"] = Hypervisor.DataDirectory,
        ["Hypervisor:RunDirectory"] = Hypervisor.RunDirectory,
        ["Hypervisor:ForceAccelerator"] = "Tcg",
        ["Agent:ImageDirectory"] = Agent.ImageDirectory,
        ["Agent:PoolListFile"] = Agent.PoolListFile,
        ["Agent:PoolRoots:0"] = _folder.Path,
    };

    public TestAgent CreateHost()
    {
        var host = new TestAgent(Supervisor, Agent, Hypervisor, _loggerFactory);
        _hosts.Add(host);
        return host;
    }

    public async Task<TestAgent> StartHostAsync()
    {
        var host = CreateHost();
        await host.InitializeAsync();
        return host;
    }

    /// <summary>A small VM whose first disk (when asked for) is to be created in the pool; it boots the test guest's ISO when asked.</summary>
    public VmDefinition Definition(string name, bool withDisk = true, bool bootGuest = false, bool autostart = false) => new()
    {
        Uuid = Guid.NewGuid(),
        Name = name,
        MemoryMiB = 256,
        Disks = withDisk ? [new DiskDefinition { Id = "disk0", Path = Path.Combine(Pool, name, "disk0.qcow2") }] : [],
        Cdrom = bootGuest ? new CdromDefinition { IsoPath = GuestIso, BootOrder = 1 } : null,
        Nics = [new NicDefinition { Id = "net0", MacAddress = $"52:54:00:{Random.Shared.Next(256):x2}:{Random.Shared.Next(256):x2}:{Random.Shared.Next(256):x2}" }],
        ShutdownTimeoutSeconds = 60,
        Autostart = autostart,
    };

    public static IReadOnlyList<NewDisk> NewDisks(VmDefinition definition, long sizeBytes = 16L * 1024 * 1024) =>
        definition.Disks.Select(d => new NewDisk(d.Id, sizeBytes)).ToList();

    /// <summary>Live QEMU processes whose command line names the VM (zombies have an empty one and do not count).</summary>
    public static IReadOnlyList<int> QemuPidsOf(Guid uuid)
    {
        var id = uuid.ToString("D");
        var pids = new List<int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(folder, "cmdline")).Contains(id, StringComparison.Ordinal))
                {
                    pids.Add(pid);
                }
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
        }

        return pids;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        // A fresh host finds whatever still runs in these folders and stops it.
        await using (var sweeper = CreateHost())
        {
            await sweeper.InitializeAsync();
            foreach (var report in sweeper.Reports().Where(r => r.Pid is not null))
            {
                await sweeper.Commands.StopVm(report.Uuid);
            }
        }

        foreach (var pid in QemuPidsContaining(_folder.Path))
        {
            System.Diagnostics.Process.GetProcessById(pid).Kill();
        }

        _loggerFactory.Dispose();
        _folder.Dispose();
    }

    private static IEnumerable<int> QemuPidsContaining(string text) =>
        Directory.EnumerateDirectories("/proc")
            .Select(f => int.TryParse(Path.GetFileName(f), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && Environment.ProcessId != pid && ReadCmdline(pid).Contains(text, StringComparison.Ordinal))
            .ToList();

    private static string ReadCmdline(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
    }
}
