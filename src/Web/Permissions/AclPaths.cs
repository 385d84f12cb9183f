using System.Text.RegularExpressions;

namespace WebVirt.Web.Permissions;

/// <summary>The paths ACL entries are granted on; a grant on a path applies below it when it propagates.</summary>
internal static partial class AclPaths
{
    public const string Root = "/";

    public const string ValidForms = "'/', '/hosts/{id}', '/pools/{name}', '/vms/{id}' or '/storage/{id}'";

    public static string Host(Guid hostId) => $"/hosts/{hostId}";

    public static string Vm(Guid vmId) => $"/vms/{vmId}";

    public static string Pool(string poolName) => $"/pools/{poolName}";

    public static string Storage(Guid poolId) => $"/storage/{poolId}";

    public static bool TryParseVm(string path, out Guid vmId)
    {
        vmId = Guid.Empty;
        return path.StartsWith("/vms/", StringComparison.Ordinal) && Guid.TryParseExact(path["/vms/".Length..], "D", out vmId);
    }

    /// <summary>
    /// Splits a path into its kind and object (the id or pool name), in canonical form (ids lower-case);
    /// false, with what is wrong, for anything that is not one of the <see cref="ValidForms"/>.
    /// </summary>
    public static bool TryParse(string? path, out AclPathKind kind, out string target, out string error)
    {
        kind = AclPathKind.Root;
        target = "";
        error = "";
        if (path == Root)
        {
            return true;
        }

        var match = path is null ? null : PathPattern().Match(path);
        if (match is null || !match.Success)
        {
            error = $"path: '{path}' is not an ACL path; use {ValidForms}";
            return false;
        }

        var value = match.Groups["value"].Value;
        kind = match.Groups["kind"].Value switch
        {
            "hosts" => AclPathKind.Host,
            "vms" => AclPathKind.Vm,
            "storage" => AclPathKind.Storage,
            _ => AclPathKind.Pool,
        };

        if (kind == AclPathKind.Pool)
        {
            if (!AccessNames.IsValid(value))
            {
                error = $"path: '{value}' is not a pool name ({AccessNames.Rule})";
                return false;
            }

            target = value;
            return true;
        }

        if (!Guid.TryParse(value, out var id))
        {
            error = $"path: '{value}' is not an id (a GUID like 4f1d8b6e-0000-4000-8000-000000000000)";
            return false;
        }

        target = id.ToString();
        return true;
    }

    public static string Compose(AclPathKind kind, string target) => kind switch
    {
        AclPathKind.Root => Root,
        AclPathKind.Host => $"/hosts/{target}",
        AclPathKind.Vm => $"/vms/{target}",
        AclPathKind.Storage => $"/storage/{target}",
        _ => $"/pools/{target}",
    };

    [GeneratedRegex("^/(?<kind>hosts|pools|vms|storage)/(?<value>[^/]+)\\z")]
    private static partial Regex PathPattern();
}
