using System.Globalization;

namespace WebVirt.Hypervisor.Images;

/// <summary>
/// How qemu-img runs when it parses an image nobody vouches for (an upload, a download, an existing file
/// offered as a disk): the image format parsers are where a crafted file would strike, so there it runs under
/// resource limits (prlimit: address space, CPU seconds, and files grown to at most 1 MiB, where qemu-img info
/// writes none), so a parser driven into a loop, a huge allocation or a runaway write ends instead of taking the
/// host with it.
/// It still runs as the agent's user: the files it inspects lie in root-only folders (an upload's
/// <c>.partial</c> folder) that an unprivileged account cannot reach by path.
/// </summary>
internal sealed class QemuImgConfinement(QemuImgOptions options)
{
    /// <summary>The command line that runs <paramref name="executable"/> with <paramref name="arguments"/> under the limits.</summary>
    public (string Executable, IReadOnlyList<string> Arguments) Wrap(string executable, IReadOnlyList<string> arguments) =>
        ("prlimit",
        [
            $"--as={options.UntrustedMemoryBytes.ToString(CultureInfo.InvariantCulture)}",
            $"--cpu={options.UntrustedCpuSeconds.ToString(CultureInfo.InvariantCulture)}",
            "--fsize=1048576",
            "--",
            executable,
            .. arguments,
        ]);
}
