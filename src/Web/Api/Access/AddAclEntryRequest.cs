namespace WebVirt.Web.Api.Access;

public sealed record AddAclEntryRequest(string? Path, string? UserId, Guid? GroupId, string? Role, bool? Propagate);
