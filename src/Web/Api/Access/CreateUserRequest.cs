namespace WebVirt.Web.Api.Access;

public sealed record CreateUserRequest(string? UserName, string? Password, string? DisplayName, bool? MustChangePassword);
