namespace WebVirt.Web.Permissions;

/// <summary>The paths ACL entries are granted on; a grant on a path applies below it when it propagates.</summary>
internal static class AclPaths
{
    public const string Root = "/";

    public static string Host(Guid hostId) => $"/hosts/{hostId}";

    public static string Vm(Guid vmId) => $"/vms/{vmId}";

    public static string Pool(string poolName) => $"/pools/{poolName}";

    public static string Storage(Guid poolId) => $"/storage/{poolId}";
}
