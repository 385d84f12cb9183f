namespace WebVirt.Hypervisor.Images;

internal static class QemuImgErrors
{
    /// <summary>"qemu-img create failed for /x/y.qcow2: Could not create '/x/y.qcow2': No such file or directory".</summary>
    public static ImageException Failed(string operation, string path, QemuImgResult result) =>
        new($"qemu-img {operation} failed for {path}: {Describe(result, path)}", result.ExitCode, result.StandardError);

    /// <summary>qemu-img's stderr on one line, without its "qemu-img: " and repeated "path: " prefixes.</summary>
    public static string Describe(QemuImgResult result, string path)
    {
        var lines = result.StandardError
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => StripPrefix(StripPrefix(line, "qemu-img: "), path + ": "))
            .ToArray();
        return lines.Length > 0 ? string.Join("; ", lines) : $"exit code {result.ExitCode} without a message";
    }

    private static string StripPrefix(string line, string prefix) =>
        line.StartsWith(prefix, StringComparison.Ordinal) ? line[prefix.Length..] : line;
}
