namespace WebVirt.Hypervisor.Networking;

/// <summary>A host network change could not be made: says what it was for and what ip or bridge said.</summary>
public sealed class NetworkCommandException : Exception
{
    public NetworkCommandException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    public NetworkCommandException(string purpose, string commandLine, int exitCode, string error)
        : base($"{purpose} failed: '{commandLine}' exited with {exitCode}: {(error.Trim().Length > 0 ? error.Trim() : "(no message)")}")
    {
        ExitCode = exitCode;
        Error = error.Trim();
    }

    /// <summary>The tool's exit code, or null when it did not run to the end.</summary>
    public int? ExitCode { get; }

    /// <summary>What the tool wrote to stderr.</summary>
    public string Error { get; } = "";
}
