namespace WebVirt.Web.Tests.Security;

/// <summary>
/// One route of the panel (pattern and HTTP method, as the endpoint data source has them) and what each identity must
/// get from it. <paramref name="Path"/> is the URL sent, with placeholders (<c>{vm}</c>, <c>{host}</c>…) that
/// <see cref="AuthorizationPanel.Fill"/> replaces with ids of the test's inventory.
/// </summary>
public sealed record RouteEntry(
    RouteKind Kind,
    string Method,
    string Pattern,
    string Path,
    Outcome Anonymous,
    Outcome Auditor,
    Outcome OtherPool,
    Outcome Owner)
{
    public string Key => $"{Method} {Pattern}";

    /// <summary>Who stands for the permitted user: the target VM's pool administrator, or the administrator of <c>/</c>.</summary>
    public Identity PermittedAs { get; init; } = Identity.Owner;

    /// <summary>The JSON body, minimal but well-formed, for routes that bind one.</summary>
    public string? Body { get; init; }

    /// <summary>The permitted user's request removes what later entries use: such entries run last.</summary>
    public bool Destructive { get; init; }

    public bool Mutates => Method is not "GET";

    public Outcome Expected(Identity identity) => identity switch
    {
        Identity.Anonymous => Anonymous,
        Identity.Auditor => Auditor,
        Identity.OtherPool => OtherPool,
        _ => Owner,
    };
}
