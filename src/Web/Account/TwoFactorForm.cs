namespace WebVirt.Web.Account;

/// <summary>The second sign-in step's HTML form, as posted: an authenticator code, or a recovery code.</summary>
internal sealed class TwoFactorForm
{
    public string? Code { get; set; }
    public bool UseRecoveryCode { get; set; }
    public string? ReturnUrl { get; set; }
}
