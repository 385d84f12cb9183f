namespace WebVirt.E2E.Tests.Security;

/// <summary>
/// One hostile value sent to one field: the request (route with <c>{host}</c>, <c>{pool}</c>, <c>{vm}</c> to fill in, a raw
/// JSON body or none), the field a refusal must name, and whether a harmless accept is also acceptable.
/// </summary>
public sealed record HostileCase(string Field, string Method, string Route, string? Body, bool MayBeAccepted = false)
{
    /// <summary>For an accepted PATCH: the description the VM must then show, exactly as sent.</summary>
    public string? StoredDescription { get; init; }

    /// <summary>For a value in the route: a 404 (no such route, no such file) is as harmless as a 400.</summary>
    public bool NotFoundIsHarmless { get; init; }

    /// <summary>Refused by Kestrel before the panel's code runs (a NUL in the path): a 400 without a body.</summary>
    public bool RefusedByServer { get; init; }

    public override string ToString() =>
        $"{Method} {Route} [{Field}] {(Body is null ? "" : Body.Length > 120 ? Body[..120] + $"…({Body.Length} chars)" : Body)}";
}
