namespace WebVirt.Web.Vms;

public enum PowerAction
{
    Start,

    /// <summary>ACPI power button, then a hard stop after the timeout.</summary>
    Shutdown,

    /// <summary>Hard power-off.</summary>
    Stop,

    Reset,
    Pause,
    Resume,
}
