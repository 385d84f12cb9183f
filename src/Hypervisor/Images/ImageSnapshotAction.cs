namespace WebVirt.Hypervisor.Images;

/// <summary>What <c>qemu-img snapshot</c> does with an internal snapshot of a stopped VM's qcow2 image.</summary>
public enum ImageSnapshotAction
{
    Create,

    /// <summary>Reverts the image to the snapshot (<c>-a</c>).</summary>
    Apply,

    Delete,
}
