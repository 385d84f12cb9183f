namespace WebVirt.Web.Components.Shared;

/// <summary>Sizes as people read them.</summary>
internal static class Format
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    public static string Bytes(long? bytes)
    {
        if (bytes is not { } value)
        {
            return "–";
        }

        double size = value;
        var unit = 0;
        while (size >= 1024 && unit < Units.Length - 1)
        {
            size /= 1024;
            unit++;
        }

        return unit == 0 ? $"{value} B" : $"{size:0.#} {Units[unit]}";
    }

    public static string MiB(int mib) => Bytes(mib * 1024L * 1024L);
}
