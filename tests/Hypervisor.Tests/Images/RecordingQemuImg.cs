using WebVirt.TestSupport;
using WebVirt.Hypervisor.Images;

namespace WebVirt.Hypervisor.Tests.Images;

/// <summary>
/// A <see cref="QemuImg"/> whose executable is a wrapper script that logs the argv it really received,
/// then execs the real qemu-img: tests see what reached the process, not what the code meant to send.
/// </summary>
internal sealed class RecordingQemuImg
{
    private const string EndOfInvocation = "<end-of-invocation>";
    private readonly string _log;

    public RecordingQemuImg(TempFolder directory)
    {
        var real = QemuImgTool.RequirePath();
        _log = directory.Combine("argv.log");
        var script = directory.Combine("qemu-img-wrapper");
        QemuImgTool.WriteScript(script, $"""
            #!/bin/sh
            printf '%s\n' "$@" >> '{_log}'
            printf '%s\n' '{EndOfInvocation}' >> '{_log}'
            exec '{real}' "$@"

            """);
        QemuImg = new QemuImg(new QemuImgOptions { Path = script });
    }

    public QemuImg QemuImg { get; }

    public IReadOnlyList<IReadOnlyList<string>> Invocations()
    {
        if (!File.Exists(_log))
        {
            return [];
        }

        var invocations = new List<IReadOnlyList<string>>();
        var current = new List<string>();
        foreach (var line in File.ReadAllLines(_log))
        {
            if (line == EndOfInvocation)
            {
                invocations.Add(current);
                current = [];
            }
            else
            {
                current.Add(line);
            }
        }

        return invocations;
    }
}
