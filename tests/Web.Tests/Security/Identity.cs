namespace WebVirt.Web.Tests.Security;

/// <summary>Who sends a request in the route-by-route authorization tests.</summary>
public enum Identity
{
    Anonymous,

    /// <summary>Auditor on <c>/</c>: may read everything, change nothing.</summary>
    Auditor,

    /// <summary>Operator on another resource pool, one the target VM is not in.</summary>
    OtherPool,

    /// <summary>Administrator on the target VM's resource pool (and on the host's default storage pool).</summary>
    Owner,

    /// <summary>The first administrator, for what only an administrator of <c>/</c> may do.</summary>
    Admin,
}
