using static WebVirt.Web.Tests.Security.Outcome;

namespace WebVirt.Web.Tests.Security;

/// <summary>
/// Every route of the panel and what anonymous, an Auditor on /, an Operator on another pool and the permitted user get
/// from it. A route the panel maps without an entry here fails <see cref="RouteAuthorizationTests"/>: deciding who may
/// call a new route is part of adding it. Destructive entries run after the others, in this order.
/// </summary>
internal static class RouteTable
{
    private const string Vm = "/api/v1/vms/{id:guid}";
    private const string VmPath = "/api/v1/vms/{vm}";
    private const string Pools = "/api/v1/hosts/{hostId:guid}/pools";
    private const string PoolsPath = "/api/v1/hosts/{host}/pools";
    private const string Access = "/api/v1/access";

    public static IReadOnlyList<RouteEntry> All { get; } =
    [
        // The VM list and VM reads: an Auditor on / sees the VM; the other pool's operator is answered as if it did not exist.
        Api("GET", "/api/v1/vms/", "/api/v1/vms/", auditor: Success, otherPool: Success, owner: Success),
        Api("GET", Vm, VmPath, auditor: Success, otherPool: Hidden, owner: Success),
        Api("GET", Vm + "/disks/", VmPath + "/disks/", auditor: Success, otherPool: Hidden, owner: Success),
        Api("GET", Vm + "/snapshots/", VmPath + "/snapshots/", auditor: Success, otherPool: Hidden, owner: Success),
        Api("GET", Vm + "/backups/", VmPath + "/backups/", auditor: Success, otherPool: Hidden, owner: Success),

        // VM actions: refused to the Auditor, hidden from the other pool's operator.
        VmWrite("POST", "/start"),
        VmWrite("POST", "/shutdown"),
        VmWrite("POST", "/stop"),
        VmWrite("POST", "/reset"),
        VmWrite("POST", "/pause"),
        VmWrite("POST", "/resume"),
        VmWrite("PATCH", "", """{"description":"changed"}"""),
        VmWrite("PUT", "/hardware", """{"memoryMiB":512}"""),
        VmWrite("POST", "/cdrom", """{"isoPath":null}"""),
        VmWrite("POST", "/disks/", """{"source":"New","poolId":"{storage}","sizeMiB":8}"""),
        VmWrite("PUT", "/disks/{diskId}", """{"bus":"Virtio","cache":"None","discard":true}""", "/disks/disk0"),
        VmWrite("POST", "/disks/{diskId}/resize", """{"sizeMiB":128}""", "/disks/disk0/resize"),
        VmWrite("POST", "/disks/{diskId}/move", """{"poolId":"{spareStorage}"}""", "/disks/disk0/move"),
        VmWrite("POST", "/disks/{diskId}/compress", null, "/disks/disk0/compress"),
        VmWrite("POST", "/snapshots/", """{"name":"snap1"}"""),
        VmWrite("POST", "/snapshots/{name}/revert", null, "/snapshots/first/revert"),
        VmWrite("POST", "/backups/", null),
        VmWrite("POST", "/backups/{backupId}/verify", null, "/backups/{backup}/verify"),
        VmWrite("POST", "/backups/{backupId}/restore", """{"newName":null}""", "/backups/{backup}/restore"),
        VmWrite("PUT", "/backups/schedule", """{"enabled":true,"dailyAt":"03:00","keepLast":3}"""),

        // A clone is a new VM: it needs VM.Allocate on / as well, which only the panel's administrator has here.
        VmWrite("POST", "/clone", """{"name":"copy"}""") with { PermittedAs = Identity.Admin },

        // Creating a VM needs VM.Allocate; the pool's administrator has it only on its pool, so the panel's administrator creates.
        Api("POST", "/api/v1/vms/", "/api/v1/vms/", auditor: Forbidden, otherPool: Forbidden, owner: Permitted, body: """{"name":"made","hostId":"{host}","memoryMiB":256}""") with { PermittedAs = Identity.Admin },

        // Hosts: listed to those with Sys.Audit, registered and revoked by administrators of /.
        Api("GET", "/api/v1/hosts/", "/api/v1/hosts/", auditor: Success, otherPool: Success, owner: Success),
        Admin("POST", "/api/v1/hosts/", "/api/v1/hosts/", """{"name":"new-host"}"""),

        // Storage pools: listed as far as Datastore.Audit reaches, changed by administrators of /.
        Api("GET", Pools + "/", PoolsPath + "/", auditor: Success, otherPool: Success, owner: Success),
        Admin("POST", Pools + "/", PoolsPath + "/", """{"name":"added","path":"/srv/added","contentTypes":"Images"}"""),
        Api("GET", Pools + "/{poolId:guid}/content", PoolsPath + "/{storage}/content", auditor: Success, otherPool: Forbidden, owner: Success),
        Api("GET", Pools + "/{poolId:guid}/uploads/{fileName}", PoolsPath + "/{storage}/uploads/upload.iso", auditor: Forbidden, otherPool: Forbidden, owner: Permitted),
        Api("PUT", Pools + "/{poolId:guid}/uploads/{fileName}", PoolsPath + "/{storage}/uploads/upload.iso?offset=0&total=4", auditor: Forbidden, otherPool: Forbidden, owner: Permitted),
        Api("DELETE", Pools + "/{poolId:guid}/uploads/{fileName}", PoolsPath + "/{storage}/uploads/upload.iso", auditor: Forbidden, otherPool: Forbidden, owner: Permitted),
        Api("POST", Pools + "/{poolId:guid}/downloads", PoolsPath + "/{storage}/downloads", auditor: Forbidden, otherPool: Forbidden, owner: Permitted, body: """{"url":"https://example.com/guest.iso","fileName":"guest.iso","sha256":null}"""),

        // Access administration: readable with Sys.Audit on /, changed by administrators of /.
        AccessRead("/users"),
        AccessRead("/groups"),
        AccessRead("/roles"),
        AccessRead("/pools"),
        AccessRead("/acl"),
        Admin("POST", Access + "/users", Access + "/users", """{"userName":"newcomer","password":"newcomers-password-1234","displayName":null,"mustChangePassword":false}"""),
        Admin("POST", Access + "/groups", Access + "/groups", """{"name":"newgroup","comment":null}"""),
        Admin("PUT", Access + "/groups/{id:guid}/members/{userId}", Access + "/groups/{group}/members/{spareUser}"),
        Admin("DELETE", Access + "/groups/{id:guid}/members/{userId}", Access + "/groups/{group}/members/{spareUser}"),
        Admin("PUT", Access + "/roles/{name}", Access + "/roles/spare-role", """{"privileges":["VM.Audit","VM.Console"]}"""),
        Admin("POST", Access + "/pools", Access + "/pools", """{"name":"newpool","comment":null}"""),
        Admin("PUT", Access + "/pools/{name}/vms/{vmId:guid}", Access + "/pools/spare/vms/{otherVm}"),
        Admin("DELETE", Access + "/pools/{name}/vms/{vmId:guid}", Access + "/pools/spare/vms/{otherVm}"),
        Admin("POST", Access + "/acl", Access + "/acl", """{"path":"/pools/spare","userId":"{spareUser}","groupId":null,"role":"Auditor","propagate":true}"""),

        // Signing in, deliberately anonymous: a token for a name and a password.
        Special("POST", "/api/v1/auth/tokens", "/api/v1/auth/tokens", Public, Public, Public, Public),

        // Pages: a sign-in first; what a page shows is checked by the operations it calls (and the VM page hides the VM).
        Page("GET", "/", "/"),
        Page("POST", "/", "/"),
        Page("GET", "/vms/new", "/vms/new"),
        Page("POST", "/vms/new", "/vms/new"),
        Page("GET", "/vms/{Id:guid}", "/vms/{vm}"),
        Page("POST", "/vms/{Id:guid}", "/vms/{vm}"),
        Page("GET", "/vms/{Id:guid}/console", "/vms/{vm}/console"),
        Page("POST", "/vms/{Id:guid}/console", "/vms/{vm}/console"),
        Page("GET", "/vms/{Id:guid}/serial", "/vms/{vm}/serial"),
        Page("POST", "/vms/{Id:guid}/serial", "/vms/{vm}/serial"),
        Page("GET", "/admin/hosts", "/admin/hosts"),
        Page("POST", "/admin/hosts", "/admin/hosts"),
        Page("GET", "/admin/users", "/admin/users"),
        Page("POST", "/admin/users", "/admin/users"),
        Page("GET", "/admin/groups", "/admin/groups"),
        Page("POST", "/admin/groups", "/admin/groups"),
        Page("GET", "/admin/roles", "/admin/roles"),
        Page("POST", "/admin/roles", "/admin/roles"),
        Page("GET", "/admin/pools", "/admin/pools"),
        Page("POST", "/admin/pools", "/admin/pools"),
        Page("GET", "/admin/permissions", "/admin/permissions"),
        Page("POST", "/admin/permissions", "/admin/permissions"),
        Page("GET", "/admin/tokens", "/admin/tokens"),
        Page("POST", "/admin/tokens", "/admin/tokens"),
        Page("GET", "/account/security", "/account/security"),
        Page("POST", "/account/security", "/account/security"),
        Page("GET", "/account/change-password", "/account/change-password"),
        Page("POST", "/account/change-password", "/account/change-password"),
        AdminPage("GET", "/isos", "/isos"),
        AdminPage("POST", "/isos", "/isos"),
        AdminPage("GET", "/hosts/{HostId:guid}/storage", "/hosts/{host}/storage"),
        AdminPage("POST", "/hosts/{HostId:guid}/storage", "/hosts/{host}/storage"),

        // Deliberately anonymous pages and forms: signing in and a share link's viewer, each with its own check.
        Special("GET", "/account/login", "/account/login", Public, Public, Public, Public),
        Special("POST", "/account/login", "/account/login", Public, Public, Public, Public),
        Special("GET", "/account/login-2fa", "/account/login-2fa", Public, Public, Public, Public),
        Special("POST", "/account/login-2fa", "/account/login-2fa", Public, Public, Public, Public),
        Special("GET", "/account/access-denied", "/account/access-denied", Public, Public, Public, Public),
        Special("POST", "/account/access-denied", "/account/access-denied", Public, Public, Public, Public),
        Special("GET", "/share/{Token}", "/share/unknown-token", Public, Public, Public, Public),
        Special("POST", "/share/{Token}", "/share/unknown-token", Public, Public, Public, Public),

        // WebSockets and hubs, each with its own check: a console needs the cookie and a ticket, a share socket its
        // link's token, the agent hub and tunnels a host token; Blazor's circuit hub is anonymous by design, the
        // components in it authorize themselves (the page entries above).
        Special("*", "/console/{vmId:guid}/{kind}", "/console/{vm}/vnc", Unauthorized, Forbidden, Forbidden, Public),
        Special("*", "/share/{token}/vnc", "/share/unknown-token/vnc", Forbidden, Forbidden, Forbidden, Forbidden),
        Special("*", "/hubs/agent", "/hubs/agent", Unauthorized, Unauthorized, Unauthorized, Unauthorized),
        Special("*", "/hubs/agent/negotiate", "/hubs/agent/negotiate?negotiateVersion=1", Unauthorized, Unauthorized, Unauthorized, Unauthorized),
        Special("*", "/agent/tunnels/{tunnelId:guid}", "/agent/tunnels/{vm}", Unauthorized, Unauthorized, Unauthorized, Unauthorized),
        Special("*", "/_blazor", "/_blazor", Public, Public, Public, Public),
        Special("*", "/_blazor/negotiate", "/_blazor/negotiate?negotiateVersion=1", Public, Public, Public, Public),
        Special("*", "/_blazor/disconnect/", "/_blazor/disconnect/", Public, Public, Public, Public),
        Special("*", "/_blazor/initializers/", "/_blazor/initializers/", Public, Public, Public, Public),
        Special("GET", "/_framework/opaque-redirect", "/_framework/opaque-redirect?url=https%3A%2F%2Fevil.example", Public, Public, Public, Public),

        // Destructive: they remove what other entries use, so they run last, in this order.
        Api("DELETE", Pools + "/{poolId:guid}/content/{fileName}", PoolsPath + "/{storage}/content/spare.raw", auditor: Forbidden, otherPool: Forbidden, owner: Permitted) with { Destructive = true },
        Admin("DELETE", Pools + "/{poolId:guid}", PoolsPath + "/{spareStorage}") with { Destructive = true },

        // A host the user may not audit is answered as missing, like a VM.
        Admin("POST", "/api/v1/hosts/{id:guid}/revoke", "/api/v1/hosts/{spareHost}/revoke") with { OtherPool = Hidden, Destructive = true },
        Admin("DELETE", Access + "/acl/{id:guid}", Access + "/acl/{spareAcl}") with { Destructive = true },
        Admin("DELETE", Access + "/roles/{name}", Access + "/roles/spare-role") with { Destructive = true },
        Admin("DELETE", Access + "/groups/{id:guid}", Access + "/groups/{group}") with { Destructive = true },
        Admin("DELETE", Access + "/pools/{name}", Access + "/pools/spare") with { Destructive = true },
        Admin("POST", Access + "/users/{id}/disable", Access + "/users/{spareUser}/disable") with { Destructive = true },
        Admin("POST", Access + "/users/{id}/enable", Access + "/users/{spareUser}/enable") with { Destructive = true },
        Admin("POST", Access + "/users/{id}/password", Access + "/users/{spareUser}/password", """{"password":"another-password-5678","mustChangePassword":true}""") with { Destructive = true },
        Admin("DELETE", Access + "/users/{id}", Access + "/users/{spareUser}") with { Destructive = true },
        VmWrite("DELETE", "/snapshots/{name}", null, "/snapshots/first") with { Destructive = true },
        VmWrite("POST", "/template", null) with { Destructive = true },
        VmWrite("DELETE", "/disks/{diskId}", null, "/disks/disk0") with { Destructive = true },
        Special("POST", "/account/logout", "/account/logout", SignIn, Permitted, Permitted, Permitted) with { Destructive = true },
        VmWrite("DELETE", "", null) with { Destructive = true },
    ];

    /// <summary>Access lists need Sys.Audit on /: the Auditor reads them, an operator of one pool does not.</summary>
    private static RouteEntry AccessRead(string suffix) =>
        Api("GET", Access + suffix, Access + suffix, auditor: Success, otherPool: Forbidden, owner: Success) with { PermittedAs = Identity.Admin };

    private static RouteEntry Api(string method, string pattern, string path, Outcome auditor, Outcome otherPool, Outcome owner, string? body = null) =>
        new(RouteKind.Api, method, pattern, path, Unauthorized, auditor, otherPool, owner) { Body = body };

    /// <summary>A change to the target VM: the Auditor lacks the privilege, the other pool's operator does not see the VM.</summary>
    private static RouteEntry VmWrite(string method, string suffix, string? body = null, string? pathSuffix = null) =>
        Api(method, Vm + suffix, VmPath + (pathSuffix ?? suffix), auditor: Forbidden, otherPool: Hidden, owner: Permitted, body);

    /// <summary>Only an administrator of / may: everyone else is refused with 403.</summary>
    private static RouteEntry Admin(string method, string pattern, string path, string? body = null) =>
        Api(method, pattern, path, auditor: Forbidden, otherPool: Forbidden, owner: Permitted, body) with { PermittedAs = Identity.Admin };

    /// <summary>A page any signed-in user may open; a form post without its antiforgery token passes authorization and is refused after it.</summary>
    private static RouteEntry Page(string method, string pattern, string path) =>
        new(RouteKind.Page, method, pattern, path, SignIn, method is "GET" ? Success : Permitted, method is "GET" ? Success : Permitted, method is "GET" ? Success : Permitted);

    /// <summary>A page only administrators may open.</summary>
    private static RouteEntry AdminPage(string method, string pattern, string path) =>
        new RouteEntry(RouteKind.Page, method, pattern, path, SignIn, AccessDenied, AccessDenied, method is "GET" ? Success : Permitted) with { PermittedAs = Identity.Admin };

    private static RouteEntry Special(string method, string pattern, string path, Outcome anonymous, Outcome auditor, Outcome otherPool, Outcome owner) =>
        new(RouteKind.Special, method, pattern, path, anonymous, auditor, otherPool, owner);
}
