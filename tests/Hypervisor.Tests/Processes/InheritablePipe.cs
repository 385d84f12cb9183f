using System.Runtime.InteropServices;

namespace WebVirt.Hypervisor.Tests.Processes;

/// <summary>A pipe opened with plain pipe(2), so without close-on-exec: .NET itself never makes such descriptors.</summary>
internal sealed partial class InheritablePipe : IDisposable
{
    private readonly int _read;
    private readonly int _write;

    private InheritablePipe(int read, int write)
    {
        _read = read;
        _write = write;
        Target = new FileInfo($"/proc/self/fd/{read}").LinkTarget ?? throw new InvalidOperationException("the pipe has no /proc link");
    }

    /// <summary>What /proc/PID/fd/N links to for a descriptor of this pipe in any process: "pipe:[inode]".</summary>
    public string Target { get; }

    public static unsafe InheritablePipe Open()
    {
        var fds = stackalloc int[2];
        if (pipe(fds) != 0)
        {
            throw new InvalidOperationException($"pipe failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return new InheritablePipe(fds[0], fds[1]);
    }

    public void Dispose()
    {
        close(_read);
        close(_write);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int pipe(int* fds);

    [LibraryImport("libc")]
    private static partial int close(int fd);
}
