using System.Diagnostics;

namespace WebVirt.Hypervisor.Processes;

/// <summary>
/// The whole environment of every program the host starts (QEMU, qemu-img, qemu --version). Nothing of the
/// agent's own environment is passed on: it holds secrets (the host token, the first administrator's password,
/// whatever a unit's EnvironmentFile adds) that a guest escaping into QEMU must not find in /proc/self/environ.
/// </summary>
public static class ChildEnvironment
{
    /// <summary>Programs are found by name on this search path only.</summary>
    public const string SearchPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>The variables, in a stable order: a search path, and untranslated messages, which are parsed and shown to users.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Variables { get; } =
    [
        new("PATH", SearchPath),
        new("LC_ALL", "C"),
    ];

    /// <summary>Replaces what <paramref name="start"/> would inherit with <see cref="Variables"/>.</summary>
    public static void ApplyTo(ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.Environment.Clear();
        foreach (var (name, value) in Variables)
        {
            start.Environment[name] = value;
        }
    }
}
