namespace WebVirt.Hypervisor.Processes;

/// <summary>A VM could not be started; the message says why (QEMU's own error where it gave one).</summary>
public sealed class VmStartException(string message, Exception? inner = null) : Exception(message, inner);
