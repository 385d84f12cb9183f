namespace WebVirt.Web.Api.Access;

public sealed record CreatePoolRequest(string? Name, string? Comment);
