namespace WebVirt.Web.Tests.Security;

/// <summary>What a UI operation must do for the Auditor on / and the Operator on another pool.</summary>
public enum OperationExpectation
{
    /// <summary>A change: both are refused (forbidden, or the VM not found for the other pool) and nothing changes.</summary>
    Refused,

    /// <summary>A read the Auditor may make; the other pool's operator is refused (or gets nothing).</summary>
    AuditorMay,

    /// <summary>Any signed-in user may, for their own account (their own API tokens).</summary>
    AnyUser,

    /// <summary>Self-service: acts on the caller's own account only; the entry's call aims at someone else's and is refused.</summary>
    OwnOnly,

    /// <summary>Takes no user: called by the panel itself (a scheduler, the agent's sync, another operation), never with a page's user.</summary>
    Internal,
}
