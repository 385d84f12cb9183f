using WebVirt.Web.Inventory;

namespace WebVirt.Web.Consoles;

/// <summary>A new share link and its token, which is shown once: only its hash is stored.</summary>
internal sealed record CreatedShareLink(ConsoleShareLink Link, string Token)
{
    public string Path => ConsoleShareLinks.PagePath(Token);
}
