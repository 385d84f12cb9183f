namespace WebVirt.Web.Search;

public enum SearchHitKind
{
    Vm,
    Host,
}
