using Microsoft.AspNetCore.Identity;

namespace WebVirt.Web.Inventory;

/// <summary>A panel user (ASP.NET Core Identity), stored in the inventory database.</summary>
public sealed class WebVirtUser : IdentityUser
{
    /// <summary>Set for accounts created with an initial password; the panel asks for a new one at sign-in.</summary>
    public bool MustChangePassword { get; set; }

    public string? DisplayName { get; set; }

    /// <summary>The user's light/dark choice, applied in every browser they sign in from; null until they choose (light).</summary>
    public bool? DarkTheme { get; set; }
}
