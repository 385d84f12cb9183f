using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using WebVirt.TestSupport;

namespace WebVirt.Host.Agent.Tests.Deploy;

/// <summary>The shipped systemd unit, as systemd itself reads it (no systemd needs to run: offline analysis).</summary>
public sealed partial class AgentUnitTests
{
    private static readonly string Unit = Path.Combine(ProgramProcess.RepositoryRoot, "src", "Host.Agent", "deploy", "webvirt-agent.service");

    [Fact]
    public async Task Unit_IsValid_LoadsTheTokenAsACredential_AndIsHardened()
    {
        var text = await File.ReadAllTextAsync(Unit);
        Assert.Contains("LoadCredential=agent-token:/etc/webvirt/agent-token", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Agent__Token", text.Split('\n').Where(l => !l.TrimStart().StartsWith('#')).Aggregate("", string.Concat), StringComparison.Ordinal);

        // verify wants the unit file under its own name and complains about the missing ExecStart binary only.
        using var folder = new TempFolder("wvu");
        var copy = folder.Combine("webvirt-agent.service");
        File.Copy(Unit, copy);
        var (verifyCode, verifyOutput) = await RunAsync("verify", copy);
        Assert.True(verifyCode == 0, $"systemd-analyze verify: {verifyOutput}");

        var (_, security) = await RunAsync("security", "--offline=yes", copy);
        var level = double.Parse(ExposureLevel().Match(security).Groups[1].Value, CultureInfo.InvariantCulture);

        // 9.6 ("UNSAFE") without the hardening directives; what is left is what the agent's job needs (root, capabilities).
        Assert.True(level <= 6.5, $"exposure level {level}:\n{security}");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        Process process;
        try
        {
            process = Process.Start(new ProcessStartInfo("systemd-analyze", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("systemd-analyze is missing: install Debian package systemd.", ex);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await output + await error);
        }
    }

    [GeneratedRegex(@"Overall exposure level for [^:]+: ([0-9.]+)")]
    private static partial Regex ExposureLevel();
}
