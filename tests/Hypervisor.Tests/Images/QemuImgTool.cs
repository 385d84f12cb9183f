using WebVirt.Hypervisor.Images;

namespace WebVirt.Hypervisor.Tests.Images;

/// <summary>The real qemu-img these tests run. Its absence fails the tests; it never skips them.</summary>
internal static class QemuImgTool
{
    public const string MissingMessage = "qemu-img not found: install Debian package qemu-utils (./test.sh does)";

    private static readonly Lazy<string?> Located = new(Locate);

    public static string RequirePath() => Located.Value ?? throw new InvalidOperationException(MissingMessage);

    public static QemuImg Create()
    {
        RequirePath();
        return new QemuImg();
    }

    /// <summary>Runs qemu-img directly, for setting up fixtures the wrapper has no operation for.</summary>
    public static async Task<string> RunAsync(params string[] arguments)
    {
        var result = await QemuImgProcess.RunAsync(RequirePath(), arguments, null, CancellationToken.None);
        Assert.True(result.ExitCode == 0, $"qemu-img {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.StandardError}");
        return result.StandardOutput;
    }

    /// <summary>Runs another tool the fixtures need (mkfifo), also without a shell.</summary>
    public static async Task RunToolAsync(string tool, params string[] arguments)
    {
        var result = await QemuImgProcess.RunAsync(tool, arguments, null, CancellationToken.None);
        Assert.True(result.ExitCode == 0, $"{tool} failed ({result.ExitCode}): {result.StandardError}");
    }

    /// <summary>"uid:gid" of a file, as stat(1) reports it.</summary>
    public static async Task<string> OwnerAsync(string path)
    {
        var result = await QemuImgProcess.RunAsync("stat", ["-c", "%u:%g", path], null, CancellationToken.None);
        Assert.True(result.ExitCode == 0, $"stat failed ({result.ExitCode}): {result.StandardError}");
        return result.StandardOutput.Trim();
    }

    /// <summary>Writes an executable shell script, used as a stand-in qemu-img that wraps the real one.</summary>
    public static void WriteScript(string path, string content)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("qemu-img tests run on Linux.");
        }

        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static string? Locate() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "qemu-img"))
            .FirstOrDefault(File.Exists);
}
