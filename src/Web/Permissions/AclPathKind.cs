namespace WebVirt.Web.Permissions;

internal enum AclPathKind
{
    Root,
    Host,
    Pool,
    Vm,
    Storage,
}
