namespace WebVirt.Hypervisor.Images;

public sealed class QemuImgOptions
{
    /// <summary>The qemu-img executable: a bare name is looked up on PATH.</summary>
    public string Path { get; set; } = "qemu-img";
}
