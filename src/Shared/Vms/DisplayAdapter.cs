namespace WebVirt.Shared.Vms;

public enum DisplayAdapter
{
    /// <summary>No display device: serial console only.</summary>
    None,

    /// <summary>Standard VGA (<c>-device VGA</c>).</summary>
    Std,

    VirtioGpu,
}
