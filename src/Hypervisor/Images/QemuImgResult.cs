namespace WebVirt.Hypervisor.Images;

internal sealed record QemuImgResult(int ExitCode, string StandardOutput, string StandardError);
