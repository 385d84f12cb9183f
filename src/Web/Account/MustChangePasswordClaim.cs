namespace WebVirt.Web.Account;

/// <summary>The claim that marks a signed-in user who must choose a new password before doing anything else.</summary>
internal static class MustChangePasswordClaim
{
    public const string Type = "webvirt:must-change-password";
    public const string Value = "true";
}
