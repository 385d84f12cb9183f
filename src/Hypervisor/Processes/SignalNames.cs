namespace WebVirt.Hypervisor.Processes;

internal static class SignalNames
{
    public static string Describe(int signal) => Name(signal) is { } name ? $"signal {signal} ({name})" : $"signal {signal}";

    private static string? Name(int signal) => signal switch
    {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        4 => "SIGILL",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        15 => "SIGTERM",
        31 => "SIGSYS, a system call the seccomp sandbox forbids",
        _ => null,
    };
}
