using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace WebVirt.Web.Tests.Security;

/// <summary>
/// Route-by-route authorization: every endpoint the panel maps has an entry in <see cref="RouteTable"/>, and each entry
/// is sent as anonymous, an Auditor on /, an Operator on another pool and the permitted user, with the outcome its entry
/// gives; refused requests change nothing (inventory, access tables, calls to the agent).
/// </summary>
public sealed class RouteAuthorizationTests : IAsyncLifetime
{
    private static readonly Identity[] Refused = [Identity.Anonymous, Identity.Auditor, Identity.OtherPool];

    private AuthorizationPanel _panel = null!;

    public async Task InitializeAsync() => _panel = await AuthorizationPanel.StartAsync();

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Fact]
    public void EveryEndpoint_HasAnEntry_AndEveryEntryAnEndpoint()
    {
        var mapped = PanelRoutes.Keys(_panel.Factory.Services);
        var listed = RouteTable.All.Select(e => e.Key).ToList();

        var duplicates = listed.GroupBy(k => k, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key);
        var missing = mapped.Except(listed, StringComparer.Ordinal);
        var gone = listed.Except(mapped, StringComparer.Ordinal);
        var withoutCheck = RouteTable.All.Where(e => e.Kind is RouteKind.Special && !SpecialRouteChecks.Has(e.Key)).Select(e => e.Key);

        var problems = new StringBuilder();
        Append(problems, "Endpoints without an entry in RouteTable (decide who may call them):", missing);
        Append(problems, "RouteTable entries no endpoint has any more:", gone);
        Append(problems, "RouteTable entries listed twice:", duplicates);
        Append(problems, "Special entries without a check in SpecialRouteChecks:", withoutCheck);
        Assert.True(problems.Length == 0, problems.ToString());
    }

    [Fact]
    public async Task EveryRoute_AnswersEachIdentity_AsItsEntrySays()
    {
        // The refused identities first, over every entry: a permitted request may leave a task running against the
        // agent, which must not land in the middle of a refusal's before-and-after comparison.
        var mismatches = new List<string>();
        var ordered = RouteTable.All.Where(e => !e.Destructive).Concat(RouteTable.All.Where(e => e.Destructive)).ToList();
        foreach (var entry in ordered)
        {
            if (entry.Kind is RouteKind.Special)
            {
                mismatches.AddRange(await SpecialRouteChecks.RunAsync(_panel, entry));
                continue;
            }

            foreach (var identity in Refused)
            {
                mismatches.AddRange(await SendAsync(entry, identity));
            }
        }

        foreach (var entry in ordered.Where(e => e.Kind is not RouteKind.Special))
        {
            mismatches.AddRange(await SendAsync(entry, entry.PermittedAs));
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} authorization mismatches:\n" + string.Join('\n', mismatches));
    }

    private async Task<IEnumerable<string>> SendAsync(RouteEntry entry, Identity identity)
    {
        var expected = entry.Expected(identity);
        var guarded = entry.Mutates && RouteOutcomes.IsRefusal(expected);
        var before = guarded ? await _panel.FingerprintAsync() : null;
        using var response = await _panel.SendAsync(entry, identity);
        var actual = RouteOutcomes.Of(response);
        var body = await response.Content.ReadAsStringAsync();
        var found = new List<string>();
        if (!RouteOutcomes.Matches(expected, actual))
        {
            found.Add($"{entry.Key} as {identity}: expected {expected}, got {(int)response.StatusCode} ({actual}) {response.Headers.Location} {Excerpt(body)}");
        }

        if (guarded && await _panel.FingerprintAsync() != before)
        {
            found.Add($"{entry.Key} as {identity}: must be refused, yet the inventory, the access tables or the agent's calls changed");
        }

        // The VM pages answer 200 to anyone signed in (the circuit decides what to show); the prerendered page must not show the VM to a user who may not audit it.
        if (entry.Kind is RouteKind.Page && identity is Identity.OtherPool && body.Contains(AuthorizationPanel.TargetName, StringComparison.Ordinal))
        {
            found.Add($"{entry.Key} as {identity}: the page shows the target VM's name");
        }

        return found;
    }

    private static string Excerpt(string body) => body.Length <= 200 ? body : body[..200] + "…";

    private static void Append(StringBuilder problems, string title, IEnumerable<string> keys)
    {
        var list = keys.ToList();
        if (list.Count > 0)
        {
            problems.AppendLine(title);
            foreach (var key in list)
            {
                problems.AppendLine("  " + key);
            }
        }
    }
}
