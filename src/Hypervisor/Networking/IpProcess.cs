using System.ComponentModel;
using WebVirt.Hypervisor.Processes;

namespace WebVirt.Hypervisor.Networking;

/// <summary>Runs one ip or bridge process (<see cref="ChildProcess"/>), killed past its time.</summary>
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

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            var result = await ChildProcess.RunAsync(executable, arguments, null, limit.Token).ConfigureAwait(false);
            return new IpResult(result.ExitCode, result.StandardOutput, result.StandardError);
        }
        catch (Win32Exception ex)
        {
            throw new NetworkCommandException($"Cannot {purpose}: '{executable}' could not be started: {NotFoundHint}. {ex.Message}", ex);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new NetworkCommandException(
                $"Cannot {purpose}: '{program} {string.Join(' ', arguments)}' did not finish within {timeout.TotalSeconds:0.#} s and was killed");
        }
    }
}
