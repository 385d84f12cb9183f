using System.ComponentModel;
using WebVirt.Hypervisor.Processes;

namespace WebVirt.Hypervisor.Images;

/// <summary>Runs one qemu-img process (<see cref="ChildProcess"/>); a missing program says which package to install.</summary>
internal static class QemuImgProcess
{
    public const string NotFoundHint = "install Debian package qemu-utils";

    /// <param name="onOutputSegment">
    /// Receives stdout piece by piece, split at '\r' and '\n', as it arrives: progress lines end in '\r'.
    /// </param>
    public static async Task<QemuImgResult> RunAsync(
        string executable,
        IReadOnlyList<string> arguments,
        Action<string>? onOutputSegment,
        CancellationToken cancellationToken)
    {
        try
        {
            var result = await ChildProcess.RunAsync(executable, arguments, onOutputSegment, cancellationToken).ConfigureAwait(false);
            return new QemuImgResult(result.ExitCode, result.StandardOutput, result.StandardError);
        }
        catch (Win32Exception ex)
        {
            throw new ImageException($"qemu-img not found ({executable}): {NotFoundHint}. {ex.Message}", ex);
        }
    }
}
