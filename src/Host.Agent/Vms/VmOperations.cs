namespace WebVirt.Host.Agent.Vms;

/// <summary>Operation names, as they appear in "VM 'x' is busy: stop is in progress".</summary>
internal static class VmOperations
{
    public const string Define = "define";
    public const string Undefine = "undefine";
    public const string Start = "start";
    public const string Shutdown = "shutdown";
    public const string Stop = "stop";
    public const string Reset = "reset";
    public const string Pause = "pause";
    public const string Resume = "resume";
    public const string Screendump = "screendump";
    public const string Snapshot = "snapshot";
    public const string RevertSnapshot = "snapshot revert";
    public const string DeleteSnapshot = "snapshot deletion";
    public const string StartOptions = "start options";
    public const string ConvertToTemplate = "template conversion";
    public const string Clone = "clone";
    public const string Backup = "backup";
    public const string Restore = "restore";
    public const string AddDisk = "disk addition";
    public const string DetachDisk = "disk detach";
    public const string ResizeDisk = "disk resize";
    public const string MoveDisk = "disk move";
    public const string CompressDisk = "disk compression";
    public const string DiskIoLimits = "I/O limit change";
}
