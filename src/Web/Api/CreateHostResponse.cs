namespace WebVirt.Web.Api;

/// <summary>The new host and its agent token: shown this once, the panel keeps only a hash.</summary>
public sealed record CreateHostResponse(Guid Id, string Name, string Token);
