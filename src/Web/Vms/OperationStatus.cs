namespace WebVirt.Web.Vms;

internal enum OperationStatus
{
    Done,

    /// <summary>Recorded; it completes later (for example when an offline host comes back).</summary>
    Accepted,

    Invalid,
    NotFound,
    Conflict,

    /// <summary>The user lacks the privilege; nothing was changed.</summary>
    Forbidden,

    /// <summary>The host could not do it, or could not be reached.</summary>
    HostFailed,
}
