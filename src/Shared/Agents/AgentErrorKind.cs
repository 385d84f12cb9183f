namespace WebVirt.Shared.Agents;

public enum AgentErrorKind
{
    /// <summary>The request itself is wrong (invalid definition, path outside the pools).</summary>
    Invalid,

    /// <summary>No such VM on this host.</summary>
    NotFound,

    /// <summary>Another operation on the same VM is in progress, or the VM is in the wrong state.</summary>
    Conflict,

    /// <summary>The operation was tried and failed (QEMU or qemu-img said why).</summary>
    Failed,
}
