namespace WebVirt.Hypervisor.Images;

/// <summary>Builds QEMU option strings (<c>key=value,key=value</c>), the syntax of <c>-o</c> and <c>--object</c>.</summary>
internal static class QemuOptionString
{
    /// <summary>QEMU's quoting rule: a literal ',' inside a value is written ",,".</summary>
    public static string Escape(string value) => value.Replace(",", ",,", StringComparison.Ordinal);

    public static string Join(params ReadOnlySpan<(string Key, string Value)> options)
    {
        var parts = new string[options.Length];
        for (var i = 0; i < options.Length; i++)
        {
            parts[i] = $"{options[i].Key}={Escape(options[i].Value)}";
        }

        return string.Join(',', parts);
    }
}
