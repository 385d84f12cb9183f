using WebVirt.Shared.Agents;
using WebVirt.Web.Encryption;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Operations;

/// <summary>Which disk keys a <see cref="VmCommand"/> hands the host first: an agent keeps keys in memory only.</summary>
internal sealed class DiskKeyHandover
{
    private readonly bool _ofVm;
    private readonly IReadOnlyDictionary<string, string>? _keys;

    private DiskKeyHandover(bool ofVm, IReadOnlyDictionary<string, string>? keys) => (_ofVm, _keys) = (ofVm, keys);

    /// <summary>The VM's stored keys: for commands that open its encrypted disks.</summary>
    public static DiskKeyHandover OfVm { get; } = new(true, null);

    /// <summary>None: for commands that do not open a disk's contents.</summary>
    public static DiskKeyHandover None { get; } = new(false, null);

    /// <summary>Keys not stored yet, of disks the command creates.</summary>
    public static DiskKeyHandover Of(IReadOnlyDictionary<string, string> keys) => new(false, keys);

    public Task<AgentReply> ProvideAsync(DiskKeyVault vault, VmRecord vm) =>
        _ofVm ? vault.ProvideAsync(vm.Id, vm.HostId, vm.Host!.Name)
        : _keys is not null ? vault.ProvideAsync(vm.Id, vm.HostId, vm.Host!.Name, _keys)
        : Task.FromResult(AgentReply.Success());
}
