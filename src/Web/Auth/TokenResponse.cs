namespace WebVirt.Web.Auth;

public sealed record TokenResponse(string Token, DateTimeOffset ExpiresAt);
