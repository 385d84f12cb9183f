namespace WebVirt.Shared.Vms;

public sealed record DisplayDefinition
{
    public DisplayAdapter Adapter { get; init; } = DisplayAdapter.Std;

    /// <summary>Expose the screen over VNC (a unix socket reached only through the panel's relay).</summary>
    public bool Vnc { get; init; } = true;
}
