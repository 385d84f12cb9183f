namespace WebVirt.Web.Api;

public sealed record CreateHostRequest(string? Name);
