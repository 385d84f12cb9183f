using Microsoft.Extensions.Options;
using WebVirt.Hypervisor.Configuration;
using WebVirt.Hypervisor.Images;
using WebVirt.Hypervisor.Processes;
using WebVirt.Shared.Hosts;
using WebVirt.Shared.Vms;
using WebVirt.TestSupport;

namespace WebVirt.Hypervisor.Tests.Processes;

/// <summary>
/// Makes test-guest VMs under a temporary data and run folder: definitions booting the guest's ISO with a
/// small qcow2 disk, and supervisors over those folders (a new supervisor = an agent after a restart).
/// </summary>
internal sealed class GuestVmFactory : IAsyncDisposable
{
    private readonly TempFolder _folder = new("wvh");
    private readonly List<VmProcess> _started = [];

    public GuestVmFactory()
    {
        Guest = TestGuest.Locate();
        Options = new HypervisorOptions
        {
            DataDirectory = _folder.Combine("data"),
            RunDirectory = _folder.Combine("run"),
            ForceAccelerator = Accelerator.Tcg,
        };
    }

    public TestGuest Guest { get; }

    public HypervisorOptions Options { get; }

    public string Folder => _folder.Path;

    public VmSupervisor CreateSupervisor() => new(Microsoft.Extensions.Options.Options.Create(Options));

    public async Task<VmDefinition> DefineAsync(string name, bool withDisk = true)
    {
        var uuid = Guid.NewGuid();
        var disks = new List<DiskDefinition>();
        if (withDisk)
        {
            var image = _folder.Combine($"{name}.qcow2");
            await new QemuImg().CreateAsync(image, DiskFormat.Qcow2, 64L * 1024 * 1024, CancellationToken.None);
            disks.Add(new DiskDefinition { Id = "disk0", Path = image });
        }

        return new VmDefinition
        {
            Uuid = uuid,
            Name = name,
            MemoryMiB = 256,
            Disks = disks,
            Cdrom = new CdromDefinition { IsoPath = Guest.IsoPath, BootOrder = 1 },
            Nics = [new NicDefinition { Id = "net0", MacAddress = $"52:54:00:{Random.Shared.Next(256):x2}:{Random.Shared.Next(256):x2}:{Random.Shared.Next(256):x2}" }],
            ShutdownTimeoutSeconds = 60,
        };
    }

    /// <summary>Starts the VM and remembers it, so that whatever a test leaves running is stopped afterwards.</summary>
    public async Task<VmProcess> StartAsync(VmSupervisor supervisor, VmDefinition definition)
    {
        var vm = await supervisor.StartAsync(definition);
        _started.Add(vm);
        return vm;
    }

    public void Track(VmProcess vm) => _started.Add(vm);

    public async ValueTask DisposeAsync()
    {
        foreach (var vm in _started)
        {
            try
            {
                if (!vm.Exited.IsCompleted)
                {
                    await vm.StopAsync();
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Already detached or gone: the kill below covers it.
            }

            if (Interop.Native.ProcessExists(vm.Pid) && RunFolderHasPid(vm))
            {
                Interop.Native.SendSignal(vm.Pid, Interop.Native.SigKill);
            }

            await vm.DisposeAsync();
        }

        _folder.Dispose();
    }

    private static bool RunFolderHasPid(VmProcess vm) =>
        File.Exists($"/proc/{vm.Pid}/cmdline") && File.ReadAllText($"/proc/{vm.Pid}/cmdline").Contains(vm.Uuid.ToString("D"), StringComparison.Ordinal);
}
