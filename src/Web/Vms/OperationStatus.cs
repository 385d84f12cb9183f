namespace WebVirt.Web.Vms;

internal enum OperationStatus
{
    Done,

    /// <summary>Recorded; it completes later (for example when an offline host comes back).</summary>
    Accepted,

    Invalid,
    NotFound,

    /// <summary>The user may see the object but lacks the privilege for this action.</summary>
    Forbidden,

    Conflict,

    /// <summary>More than a configured limit allows (an upload's size).</summary>
    TooLarge,

    /// <summary>The host could not do it, or could not be reached.</summary>
    HostFailed,
}
