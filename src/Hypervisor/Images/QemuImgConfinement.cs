using System.Globalization;

namespace WebVirt.Hypervisor.Images;

/// <summary>
/// How qemu-img runs when it parses an image nobody vouches for (an upload, a download, an existing file
/// offered as a disk): the image format parsers are where a crafted file would strike, so there it runs under
/// resource limits (prlimit: address space, CPU seconds, and files grown to at most 1 MiB, where qemu-img info
/// writes none), so a parser driven into a loop, a huge allocation or a runaway write ends instead of taking the
/// host with it; and, where an account is configured, as that unprivileged account (setpriv, no supplementary
/// groups, no new privileges), so a parser that is taken over holds none of the agent's rights.
/// </summary>
internal sealed class QemuImgConfinement(QemuImgOptions options)
{
    public ImageCheckAccount? Account => options.UntrustedAccount;

    /// <summary>The command line that runs <paramref name="executable"/> with <paramref name="arguments"/> under the limits.</summary>
    public (string Executable, IReadOnlyList<string> Arguments) Wrap(string executable, IReadOnlyList<string> arguments) =>
        ("prlimit",
        [
            $"--as={options.UntrustedMemoryBytes.ToString(CultureInfo.InvariantCulture)}",
            $"--cpu={options.UntrustedCpuSeconds.ToString(CultureInfo.InvariantCulture)}",
            "--fsize=1048576",
            "--",
            .. options.UntrustedAccount is { } account
                ? (string[])["setpriv", $"--reuid={account.Uid.ToString(CultureInfo.InvariantCulture)}", $"--regid={account.Gid.ToString(CultureInfo.InvariantCulture)}", "--clear-groups", "--no-new-privs", "--"]
                : [],
            executable,
            .. arguments,
        ]);
}
