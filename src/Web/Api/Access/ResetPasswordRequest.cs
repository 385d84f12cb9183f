namespace WebVirt.Web.Api.Access;

public sealed record ResetPasswordRequest(string? Password, bool? MustChangePassword);
