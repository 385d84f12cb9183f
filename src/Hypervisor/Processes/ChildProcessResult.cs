namespace WebVirt.Hypervisor.Processes;

/// <summary>How a <see cref="ChildProcess"/> run ended, with everything it printed.</summary>
internal sealed record ChildProcessResult(int ExitCode, string StandardOutput, string StandardError);
