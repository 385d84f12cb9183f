using System.Security.Claims;

namespace WebVirt.Web.Thumbnails;

/// <summary>Who may watch a VM's live screen as a thumbnail.</summary>
public interface IThumbnailAccess
{
    Task<bool> MayWatchAsync(ClaimsPrincipal user, Guid vmId);
}
