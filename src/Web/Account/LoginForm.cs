namespace WebVirt.Web.Account;

/// <summary>The sign-in page's HTML form, as posted.</summary>
internal sealed class LoginForm
{
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public string? ReturnUrl { get; set; }
}
