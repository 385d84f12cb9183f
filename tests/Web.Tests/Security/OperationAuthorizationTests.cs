using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace WebVirt.Web.Tests.Security;

/// <summary>
/// The UI operations, called as the pages call them (a DI scope per call, the user's principal as Identity builds it):
/// every public async method of <see cref="OperationTable.Services"/> has an entry, and the Auditor on / and the
/// Operator on another pool are refused every change, without a change of state.
/// </summary>
public sealed class OperationAuthorizationTests : IAsyncLifetime
{
    private AuthorizationPanel _panel = null!;

    public async Task InitializeAsync() => _panel = await AuthorizationPanel.StartAsync();

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Fact]
    public void EveryPublicAsyncMethod_HasAnEntry_AndEveryEntryAMethod()
    {
        var methods = OperationTable.Services
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(m => typeof(Task).IsAssignableFrom(m.ReturnType))
                .Select(m => $"{type.Name}.{m.Name}"))
            .ToHashSet(StringComparer.Ordinal);
        var listed = OperationTable.All.Select(e => e.Name).ToList();

        var missing = methods.Except(listed).Order().ToList();
        var gone = listed.Except(methods).ToList();
        var twice = listed.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(
            missing.Count + gone.Count + twice.Count == 0,
            $"Methods without an entry in OperationTable (name the privilege they check): {string.Join(", ", missing)}\n"
            + $"Entries without a method: {string.Join(", ", gone)}\nEntries listed twice: {string.Join(", ", twice)}");
    }

    [Fact]
    public async Task EveryOperation_RefusesTheAuditorAndTheOtherPool_AsItsEntrySays()
    {
        await ShareALinkAsync();
        var mismatches = new List<string>();
        foreach (var entry in OperationTable.All.Where(e => e.Invoke is not null))
        {
            foreach (var identity in new[] { Identity.Auditor, Identity.OtherPool })
            {
                var mayCall = entry.Expectation is OperationExpectation.AnyUser
                    || (entry.Expectation is OperationExpectation.AuditorMay && identity is Identity.Auditor);
                var before = mayCall ? null : await _panel.FingerprintAsync();
                var refusal = await CallAsync(entry, identity);
                if (mayCall && refusal is not null)
                {
                    mismatches.Add($"{entry.Name} as {identity}: expected to be allowed ({entry.Privilege}), got {refusal}");
                }
                else if (!mayCall && refusal is null)
                {
                    mismatches.Add($"{entry.Name} as {identity}: expected a refusal (needs {entry.Privilege}), but it went through");
                }
                else if (!mayCall && entry.VmScoped && identity is Identity.Auditor && refusal!.StartsWith("NotFound", StringComparison.Ordinal))
                {
                    mismatches.Add($"{entry.Name} as Auditor: the Auditor sees the VM, so it must be told it may not, not {refusal}");
                }

                if (before is not null && await _panel.FingerprintAsync() != before)
                {
                    mismatches.Add($"{entry.Name} as {identity}: must be refused, yet the inventory, the access tables or the agent's calls changed");
                }
            }
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} operation authorization mismatches:\n" + string.Join('\n', mismatches));
    }

    private async Task<string?> CallAsync(OperationEntry entry, Identity identity)
    {
        var user = await _panel.PrincipalAsync(identity);
        await using var scope = _panel.Factory.Services.CreateAsyncScope();
        var call = new OperationCall(_panel, user, scope.ServiceProvider);
        return await OperationRefusals.RefusalOfAsync(() => entry.Invoke!(call));
    }

    /// <summary>A link of the target VM for ConsoleShareLinks.RevokeAsync to aim at.</summary>
    private async Task ShareALinkAsync()
    {
        var admin = await _panel.PrincipalAsync(Identity.Admin);
        await using var scope = _panel.Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WebVirt.Web.Consoles.ConsoleShareLinks>().CreateAsync(admin, _panel.VmId, viewOnly: true, TimeSpan.FromHours(1));
    }
}
