using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Text;

namespace WebVirt.Hypervisor.Processes;

/// <summary>
/// Runs one helper program (qemu-img, ip, bridge…): argv only, no shell, the child environment, an empty stdin;
/// cancellation kills it. Throws <see cref="Win32Exception"/> when the program cannot be started.
/// </summary>
internal static class ChildProcess
{
    /// <param name="onOutputSegment">
    /// Receives stdout piece by piece, split at '\r' and '\n', as it arrives: progress lines end in '\r'.
    /// </param>
    public static async Task<ChildProcessResult> RunAsync(
        string executable,
        IReadOnlyList<string> arguments,
        Action<string>? onOutputSegment,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        var startInfo = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // No secret of the agent's environment reaches the child (qemu-img reads untrusted images); its messages
        // are parsed and shown to users, so they stay untranslated (LC_ALL=C).
        ChildEnvironment.ApplyTo(startInfo);

        // A program that cannot be started throws Win32Exception: the caller says which package to install.
        using var process = new Process { StartInfo = startInfo };
        process.Start();

        // The child must never wait on a terminal for input; an empty stdin makes any read end at once.
        process.StandardInput.Close();

        // A callback that throws must not stop the reading: the child would block on a full pipe and never
        // exit. The process is killed instead and the callback's exception rethrown once it is gone.
        Exception? callbackError = null;
        Action<string>? onSegment = onOutputSegment is null ? null : segment =>
        {
            if (callbackError is not null)
            {
                return;
            }

            try
            {
                onOutputSegment(segment);
            }
            catch (Exception ex)
            {
                callbackError = ex;
                Kill(process);
            }
        };

        var output = ReadOutputAsync(process.StandardOutput, onSegment);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using (cancellationToken.UnsafeRegister(static state => Kill((Process)state!), process))
        {
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        var result = new ChildProcessResult(
            process.ExitCode,
            await output.ConfigureAwait(false),
            await error.ConfigureAwait(false));

        cancellationToken.ThrowIfCancellationRequested();
        if (callbackError is not null)
        {
            ExceptionDispatchInfo.Throw(callbackError);
        }

        return result;
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited on its own between the cancellation and the kill.
        }
        catch (Win32Exception)
        {
            // Same race, reported by the OS instead.
        }
    }

    private static async Task<string> ReadOutputAsync(StreamReader reader, Action<string>? onSegment)
    {
        var all = new StringBuilder();
        var segment = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer, CancellationToken.None).ConfigureAwait(false)) > 0)
        {
            all.Append(buffer, 0, read);
            if (onSegment is null)
            {
                continue;
            }

            foreach (var c in buffer.AsSpan(0, read))
            {
                if (c is '\r' or '\n')
                {
                    Flush(segment, onSegment);
                }
                else
                {
                    segment.Append(c);
                }
            }
        }

        if (onSegment is not null)
        {
            Flush(segment, onSegment);
        }

        return all.ToString();
    }

    private static void Flush(StringBuilder segment, Action<string> onSegment)
    {
        if (segment.Length > 0)
        {
            onSegment(segment.ToString());
            segment.Clear();
        }
    }
}
