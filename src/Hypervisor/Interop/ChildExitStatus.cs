namespace WebVirt.Hypervisor.Interop;

/// <summary>How a child process ended: an exit code, or the signal that killed it.</summary>
internal sealed record ChildExitStatus(int? ExitCode, int? Signal);
