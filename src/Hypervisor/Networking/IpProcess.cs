using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using WebVirt.Hypervisor.Processes;

namespace WebVirt.Hypervisor.Networking;

/// <summary>Runs one ip or bridge process: argv only, no shell, the child environment, killed past its time.</summary>
internal static class IpProcess
{
    public const string NotFoundHint = "install Debian package iproute2";

    /// <summary>The program's path on <see cref="ChildEnvironment.SearchPath"/>, or null: the agent's own PATH is not used.</summary>
    public static string? Find(string program)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(program) ? program : null;
        }

        return ChildEnvironment.SearchPath.Split(':')
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);
    }

    public static async Task<IpResult> RunAsync(
        string purpose, string program, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var executable = Find(program)
            ?? throw new NetworkCommandException($"Cannot {purpose}: '{program}' was not found on {ChildEnvironment.SearchPath}: {NotFoundHint}");

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

        ChildEnvironment.ApplyTo(startInfo);

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new NetworkCommandException($"Cannot {purpose}: '{executable}' could not be started: {NotFoundHint}. {ex.Message}", ex);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        using (limit.Token.UnsafeRegister(static state => Kill((Process)state!), process))
        {
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        var result = new IpResult(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
        cancellationToken.ThrowIfCancellationRequested();
        if (limit.IsCancellationRequested)
        {
            throw new NetworkCommandException(
                $"Cannot {purpose}: '{program} {string.Join(' ', arguments)}' did not finish within {timeout.TotalSeconds:0.#} s and was killed");
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
            // It exited on its own in the meantime.
        }
        catch (Win32Exception)
        {
            // Same race, reported by the OS instead.
        }
    }
}
