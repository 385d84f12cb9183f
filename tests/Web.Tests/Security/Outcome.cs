namespace WebVirt.Web.Tests.Security;

/// <summary>The class of answer a route must give one identity.</summary>
public enum Outcome
{
    /// <summary>401 (an API route or a host-token route).</summary>
    Unauthorized,

    /// <summary>A redirect to <c>/account/login</c> (a page or a cookie route).</summary>
    SignIn,

    /// <summary>A redirect to <c>/account/access-denied</c> (a page only administrators may open).</summary>
    AccessDenied,

    /// <summary>2xx.</summary>
    Success,

    /// <summary>403.</summary>
    Forbidden,

    /// <summary>404: the VM is hidden from users who may not audit it, as if it did not exist.</summary>
    Hidden,

    /// <summary>Past authorization: anything but 401, 403, 404 and a redirect to sign-in or access-denied (a 400 or 409 of the operation itself, or a 502 when the fake agent does not answer that call).</summary>
    Permitted,

    /// <summary>Deliberately reachable by anyone; the entry's own check says what protects it.</summary>
    Public,
}
