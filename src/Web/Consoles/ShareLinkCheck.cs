using WebVirt.Web.Inventory;

namespace WebVirt.Web.Consoles;

/// <summary>What a presented share token is good for: the link and its VM's name, or the reason it is refused.</summary>
internal sealed record ShareLinkCheck(ConsoleShareLink? Link, string? VmName, string? Refusal);
