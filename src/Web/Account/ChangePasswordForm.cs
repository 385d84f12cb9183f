namespace WebVirt.Web.Account;

/// <summary>The change-password page's HTML form, as posted.</summary>
internal sealed class ChangePasswordForm
{
    public string? CurrentPassword { get; set; }
    public string? NewPassword { get; set; }
    public string? ConfirmPassword { get; set; }
}
