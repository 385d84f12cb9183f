namespace WebVirt.Web.Vms;

/// <summary>What a hardware change does to a VM, decided from its state before the task starts.</summary>
internal enum HardwareChange
{
    /// <summary>The definition stays as it is.</summary>
    Nothing,

    /// <summary>The request brings back the current definition: the pending changes are dropped.</summary>
    Withdraw,

    /// <summary>A stopped VM: its host gets the new definition now.</summary>
    Define,

    /// <summary>A running VM: kept as its pending definition until its next start, since QEMU fixes its hardware at launch.</summary>
    Pending,
}
