using System.Globalization;
using System.Text.RegularExpressions;

namespace WebVirt.Hypervisor.Images;

/// <summary>Reads the percentages of <c>qemu-img convert -p</c>, which prints "    (12.34/100%)" and '\r'.</summary>
internal static partial class ConvertProgressParser
{
    public static bool TryParse(string segment, out double percent)
    {
        var match = ProgressPattern().Match(segment);
        if (match.Success
            && double.TryParse(match.Groups[1].ValueSpan, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out percent))
        {
            percent = Math.Clamp(percent, 0, 100);
            return true;
        }

        percent = 0;
        return false;
    }

    [GeneratedRegex(@"\((\d{1,3}(?:\.\d+)?)/100%\)", RegexOptions.CultureInvariant)]
    private static partial Regex ProgressPattern();
}
