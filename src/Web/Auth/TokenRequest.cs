namespace WebVirt.Web.Auth;

public sealed record TokenRequest(string? UserName, string? Password, string? Name, int? ExpiresInDays);
