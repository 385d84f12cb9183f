// bench/vm-start: how long WebVirt's supervisor takes from StartAsync to "QMP answers and the VNC socket
// exists", against launching qemu-system-x86_64 directly with the same arguments and waiting for the same
// two things. Runs alternate between the two; each side reports its median.
using WebVirt.Bench.VmStart;
using WebVirt.Hypervisor.Configuration;
using WebVirt.Hypervisor.Processes;
using WebVirt.Shared.Hosts;
using WebVirt.Shared.Vms;
using WebVirt.TestSupport;

var runs = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 7;
var guest = TestGuest.Locate();
using var folder = new TempFolder("wvb");
var options = new HypervisorOptions
{
    DataDirectory = folder.Combine("data"),
    RunDirectory = folder.Combine("run"),
    ForceAccelerator = Accelerator.Tcg,
};
var supervisor = new VmSupervisor(Microsoft.Extensions.Options.Options.Create(options));

VmDefinition NewDefinition() => new()
{
    Uuid = Guid.NewGuid(),
    Name = "bench",
    MemoryMiB = 256,
    Cdrom = new CdromDefinition { IsoPath = guest.IsoPath, BootOrder = 1 },
};

var library = new List<double>();
var bare = new List<double>();
for (var i = 0; i < runs; i++)
{
    library.Add(await StartTimings.LibraryAsync(supervisor, NewDefinition()));
    bare.Add(await BareQemuLaunch.MeasureAsync(options, NewDefinition()));
    Console.WriteLine($"run {i + 1}/{runs}: library {library[^1]:F1} ms, bare qemu {bare[^1]:F1} ms");
}

var libraryMedian = BareQemuLaunch.Median(library);
var bareMedian = BareQemuLaunch.Median(bare);
Console.WriteLine();
Console.WriteLine($"vm-start ({runs} runs each, TCG, median): library {libraryMedian:F1} ms, bare qemu {bareMedian:F1} ms");
Console.WriteLine($"overhead {libraryMedian - bareMedian:F1} ms, ratio library/bare {libraryMedian / bareMedian:F2}");
