using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;

namespace WebVirt.Web.Tests.Security;

/// <summary>One call of a UI operation: the user it runs as, the panel's ids, and the services of one DI scope (a circuit's).</summary>
internal sealed class OperationCall(AuthorizationPanel panel, ClaimsPrincipal user, IServiceProvider services)
{
    public AuthorizationPanel Panel => panel;

    public ClaimsPrincipal User => user;

    public Guid Vm => panel.VmId;

    public Guid Host => panel.HostId;

    public Guid Storage => panel.StorageId;

    public T Get<T>()
        where T : notnull => services.GetRequiredService<T>();
}
