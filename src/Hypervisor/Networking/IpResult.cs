namespace WebVirt.Hypervisor.Networking;

/// <summary>How one <c>ip</c> or <c>bridge</c> run ended.</summary>
internal sealed record IpResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>ip's answer for a device that is not there: 'Device "x" does not exist.' or 'Cannot find device "x"'.</summary>
    public bool DeviceMissing =>
        ExitCode != 0 && (Error.Contains("does not exist", StringComparison.Ordinal) || Error.Contains("Cannot find device", StringComparison.Ordinal));
}
