namespace WebVirt.Web.Vms;

/// <summary>A partial change of a VM's options (PATCH): a property left out (null) keeps its value.</summary>
public sealed record UpdateVmOptionsRequest
{
    /// <summary>A new name, unique on the VM's host; the VM must be stopped, since QEMU runs under its name.</summary>
    public string? Name { get; init; }

    /// <summary>Markdown; an empty string removes the description.</summary>
    public string? Description { get; init; }

    /// <summary>The complete new tag list (an empty list removes every tag).</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    public bool? Autostart { get; init; }

    /// <summary>Place in the host's autostart sequence, 0 (none in particular) to 9999.</summary>
    public int? StartOrder { get; init; }
}
