namespace WebVirt.Web.Api.Access;

public sealed record CreateGroupRequest(string? Name, string? Comment);
