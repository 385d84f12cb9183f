using Microsoft.AspNetCore.Authorization;

namespace WebVirt.Web.Auth;

/// <summary>An authorization policy requirement met by holding <see cref="Privilege"/> on <c>/</c> through the ACL.</summary>
internal sealed record RootPrivilegeRequirement(string Privilege) : IAuthorizationRequirement;
