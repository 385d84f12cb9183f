namespace WebVirt.Hypervisor.Images;

/// <summary>Exit statuses of <c>qemu-img check</c> (qemu-img(1)).</summary>
internal static class CheckExitCodes
{
    public const int Clean = 0;
    public const int Corrupt = 2;
    public const int Leaks = 3;

    /// <summary>The format has no consistency check (raw).</summary>
    public const int NotSupported = 63;
}
