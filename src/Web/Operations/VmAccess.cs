using WebVirt.Web.Inventory;

namespace WebVirt.Web.Operations;

/// <summary>How a <see cref="VmCommand"/> checks the user, and in which order "not found" and "forbidden" answer.</summary>
internal sealed record VmAccess
{
    public static readonly VmAccess Default = new();

    /// <summary>
    /// A user without VM.Audit is told the VM does not exist, so its existence is not revealed: on by default, as the
    /// API answers 404 for a VM it leaves out of the user's lists, whichever command is asked.
    /// </summary>
    public bool HiddenWithoutAudit { get; init; } = true;

    /// <summary>The VM is looked up before the privileges: a missing VM is "not found" whoever asks.</summary>
    public bool LoadsFirst { get; init; }

    /// <summary>The refusal's message, given the VM when it was loaded first (else null); by default "You lack …".</summary>
    public Func<VmRecord?, string>? Forbidden { get; init; }

    /// <summary>Privileges on "/" the user needs as well (a command that creates a VM or takes pool space), each with its refusal.</summary>
    public IReadOnlyList<(string Privilege, string Refusal)> OnRoot { get; init; } = [];
}
