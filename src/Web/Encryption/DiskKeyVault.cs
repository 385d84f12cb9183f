using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using WebVirt.Shared.Agents;
using WebVirt.Web.Agents;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Encryption;

/// <summary>
/// Keys of encrypted disks: generated here, stored only protected with ASP.NET Core Data Protection, and handed to a
/// host's agent (which keeps them in memory) before it creates or starts the VM. Keys are never logged.
/// </summary>
internal sealed class DiskKeyVault(IDataProtectionProvider protection, IDbContextFactory<WebVirtDbContext> contexts, AgentGateway agents)
{
    private readonly IDataProtector _protector = protection.CreateProtector("WebVirt.DiskKeys.v1");

    /// <summary>A new random key (256 bits, base64: printable, as qemu reads it from the secret file).</summary>
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string Protect(string key) => _protector.Protect(key);

    public string Unprotect(string protectedKey) => _protector.Unprotect(protectedKey);

    /// <summary>Sends the agent the keys of every encrypted disk of the VM; success when there are none.</summary>
    public async Task<AgentReply> ProvideAsync(Guid vmId, Guid hostId, string hostName)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var disks = await db.Disks.AsNoTracking().Where(d => d.VmId == vmId && d.Encrypted && d.ProtectedKey != null).ToListAsync();
        return await ProvideAsync(vmId, hostId, hostName, disks.ToDictionary(d => d.DiskId, d => Unprotect(d.ProtectedKey!)));
    }

    public async Task<AgentReply> ProvideAsync(Guid vmId, Guid hostId, string hostName, IReadOnlyDictionary<string, string> keys) =>
        keys.Count == 0 ? AgentReply.Success() : await agents.SendAsync(hostId, hostName, agent => agent.ProvideDiskKeys(vmId, keys));

    /// <summary>
    /// Gives the disks of a new VM made from <paramref name="source"/>'s disks (a clone, or a restored backup) the keys of the
    /// disks they were copied from: the copies are encrypted with those keys, and a linked clone's overlay must share its
    /// template's key to read the template's clusters.
    /// </summary>
    public static void CopyKeys(IEnumerable<DiskRecord> source, IEnumerable<DiskRecord> copies)
    {
        var keys = source.Where(d => d.Encrypted && d.ProtectedKey is not null).ToDictionary(d => d.DiskId, d => d.ProtectedKey!, StringComparer.Ordinal);
        foreach (var copy in copies.Where(d => d.Encrypted))
        {
            copy.ProtectedKey = keys.GetValueOrDefault(copy.DiskId);
        }
    }
}
