using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Logging;
using WebVirt.Hypervisor.Processes;
using WebVirt.Shared.Agents;

namespace WebVirt.Host.Agent.Hosts;

/// <summary>
/// Reads what the panel shows about this host. What cannot change while the agent runs (CPU, QEMU version)
/// is read once; storage is read on every call.
/// </summary>
internal sealed class HostFactsReader(VmSupervisor supervisor, string qemuBinary, string imagePool, ILogger logger)
{
    private static readonly TimeSpan VersionTimeout = TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim _qemuVersionLock = new(1, 1);
    private string? _qemuVersion;

    public async Task<HostFacts> ReadAsync(CancellationToken cancellationToken = default)
    {
        var cpuInfo = ReadLines("/proc/cpuinfo");
        var (total, free) = ReadStorage();
        return new HostFacts
        {
            Hostname = Environment.MachineName,
            CpuModel = cpuInfo.Select(l => Field(l, "model name")).FirstOrDefault(v => v is not null) ?? "unknown",
            CpuThreads = Math.Max(cpuInfo.Count(l => Field(l, "processor") is not null), Environment.ProcessorCount),
            MemoryBytes = ReadMemTotal(),
            Accelerator = supervisor.Acceleration.Accelerator,
            AcceleratorReason = supervisor.Acceleration.Reason,
            QemuVersion = await QemuVersionAsync(cancellationToken).ConfigureAwait(false),
            AgentVersion = AgentVersion(),
            ImagePool = imagePool,
            StorageTotalBytes = total,
            StorageFreeBytes = free,
            IsolationGaps = supervisor.IsolationGaps(),
        };
    }

    private async Task<string> QemuVersionAsync(CancellationToken cancellationToken)
    {
        await _qemuVersionLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _qemuVersion ??= await RunQemuVersionAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _qemuVersionLock.Release();
        }
    }

    private async Task<string> RunQemuVersionAsync(CancellationToken cancellationToken)
    {
        try
        {
            var start = new ProcessStartInfo(qemuBinary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("--version");
            ChildEnvironment.ApplyTo(start);
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{qemuBinary} did not start");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(VersionTimeout);
            var output = await process.StandardOutput.ReadToEndAsync(timeout.Token).ConfigureAwait(false);
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            return ParseQemuVersion(output) ?? $"unknown ({qemuBinary} --version printed no version)";
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException
            or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            HostFactsLog.QemuVersionUnknown(logger, qemuBinary, ex);
            return $"unknown ({qemuBinary} --version failed: {ex.Message})";
        }
    }

    /// <summary>"QEMU emulator version 7.2.15 (Debian 1:7.2+dfsg-7+deb12u12)" → "7.2.15 (Debian 1:7.2+dfsg-7+deb12u12)".</summary>
    internal static string? ParseQemuVersion(string output)
    {
        const string Marker = "version ";
        var line = output.Split('\n').FirstOrDefault(l => l.Contains(Marker, StringComparison.Ordinal));
        return line is null ? null : line[(line.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length)..].Trim();
    }

    private static string AgentVersion()
    {
        var assembly = typeof(HostFactsReader).Assembly;
        return assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";
    }

    private (long Total, long Free) ReadStorage()
    {
        try
        {
            // On Linux DriveInfo statfs()es the path it is given, so the pool's own file system is measured.
            var drive = new DriveInfo(imagePool);
            return (drive.TotalSize, drive.AvailableFreeSpace);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            HostFactsLog.StorageUnknown(logger, imagePool, ex);
            return (0, 0);
        }
    }

    private static long ReadMemTotal()
    {
        var value = ReadLines("/proc/meminfo").Select(l => Field(l, "MemTotal")).FirstOrDefault(v => v is not null);
        var kib = value?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return long.TryParse(kib, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n * 1024 : 0;
    }

    private static string? Field(string line, string name)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && line[..colon].Trim() == name ? line[(colon + 1)..].Trim() : null;
    }

    private static IReadOnlyList<string> ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (IOException)
        {
            return [];
        }
    }
}
