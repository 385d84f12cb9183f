using System.Text;
using QRCoder;

namespace WebVirt.Web.Account;

/// <summary>What an authenticator app needs to enrol: the otpauth URI (as a QR code) and the key for typing in.</summary>
internal static class AuthenticatorEnrolment
{
    public const string Issuer = "WebVirt";

    /// <summary>The Key Uri Format that authenticator apps read: TOTP, SHA-1, 6 digits, 30 s (Identity's defaults).</summary>
    public static string Uri(string userName, string key) =>
        $"otpauth://totp/{System.Uri.EscapeDataString(Issuer)}:{System.Uri.EscapeDataString(userName)}?secret={key}&issuer={System.Uri.EscapeDataString(Issuer)}&digits=6";

    /// <summary>The key in groups of four, lower case, as people copy it into an app.</summary>
    public static string Readable(string key)
    {
        var text = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            text.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        }

        return text.ToString().TrimEnd().ToLowerInvariant();
    }

    /// <summary>The URI as an SVG QR code that scales with its container (viewBox), black on white for any theme.</summary>
    public static string QrCodeSvg(string uri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(4, "#000000", "#ffffff", drawQuietZones: true, sizingMode: SvgQRCode.SizingMode.ViewBoxAttribute);
    }
}
