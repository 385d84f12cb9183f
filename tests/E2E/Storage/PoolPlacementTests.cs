using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WebVirt.TestSupport;

namespace WebVirt.E2E.Tests.Storage;

/// <summary>
/// Where pools may be added, through the API of a panel whose agent it embeds (real processes): the panel's own
/// Data Protection keys folder lies under the allowed root (the cluster's temp folder) and is still refused.
/// </summary>
[Collection(RealProcessesCollection.Name)]
public sealed class PoolPlacementTests : IAsyncLifetime
{
    private readonly TestCluster _cluster = new();
    private Guid _hostId;

    public async Task InitializeAsync() => _hostId = await _cluster.StartEmbeddedPanelAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task AddPool_AtThePanelsKeysOrOutsideTheRoots_Is400AndNothingIsAdded_UnderTheRootItWorks()
    {
        var keys = Path.Combine(_cluster.PanelDataDirectory, "keys");
        Assert.True(Directory.Exists(keys), "the panel made no keys folder");
        var toEtc = Path.Combine(_cluster.RootDirectory, "to-etc");
        File.CreateSymbolicLink(toEtc, "/etc");
        var isos = Directory.CreateDirectory(Path.Combine(_cluster.RootDirectory, "isos")).FullName;
        var before = await PoolCountAsync();

        foreach (var (path, says) in new[] { (keys, $"lies in {keys}"), (_cluster.PanelDataDirectory, $"contains {keys}"), ("/etc", "Agent:PoolRoots"), (toEtc, "resolves to '/etc'") })
        {
            using var refused = await _cluster.Api.PostAsJsonAsync($"/api/v1/hosts/{_hostId}/pools", new { name = "p" + Guid.NewGuid().ToString("N")[..8], path, contentTypes = "Iso" });
            var body = await refused.Content.ReadAsStringAsync();
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{path}: {(int)refused.StatusCode} {body}");
            Assert.Contains(says, body, StringComparison.Ordinal);
        }

        Assert.Equal(before, await PoolCountAsync());
        using var added = await _cluster.Api.PostAsJsonAsync($"/api/v1/hosts/{_hostId}/pools", new { name = "isos", path = isos, contentTypes = "Iso" });
        Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync());
        Assert.Equal(before + 1, await PoolCountAsync());
    }

    private async Task<int> PoolCountAsync() =>
        JsonDocument.Parse(await _cluster.Api.GetStringAsync($"/api/v1/hosts/{_hostId}/pools")).RootElement.GetArrayLength();
}
