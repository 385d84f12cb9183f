namespace WebVirt.Web.Api.Access;

public sealed record SaveRoleRequest(IReadOnlyList<string>? Privileges);
