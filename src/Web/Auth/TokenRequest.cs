namespace WebVirt.Web.Auth;

/// <summary>A request for an API token; <see cref="TwoFactorCode"/> is the authenticator code, needed where the account has two-factor sign-in on.</summary>
public sealed record TokenRequest(string? UserName, string? Password, string? Name, int? ExpiresInDays, string? TwoFactorCode = null);
