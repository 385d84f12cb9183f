using System.Text.Json;
using WebVirt.Hypervisor.Processes;
using WebVirt.Shared.Snapshots;

namespace WebVirt.Host.Agent.Snapshots;

/// <summary>
/// The tree of a VM's snapshots, kept beside its definition: qcow2 images hold the snapshots themselves but
/// not their descriptions, parents or which one the VM is at now. Written whole through a temporary file.
/// </summary>
internal sealed record SnapshotCatalog
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string? Current { get; init; }

    public IReadOnlyList<VmSnapshot> Snapshots { get; init; } = [];

    public VmSnapshot? Find(string name) => Snapshots.FirstOrDefault(s => s.Name == name);

    public static string FileOf(VmPaths paths) => Path.Combine(paths.DataDirectory, "snapshots.json");

    public static SnapshotCatalog Load(VmPaths paths)
    {
        var file = FileOf(paths);
        if (!File.Exists(file))
        {
            return new SnapshotCatalog();
        }

        using var stream = File.OpenRead(file);
        return JsonSerializer.Deserialize<SnapshotCatalog>(stream, Json) ?? new SnapshotCatalog();
    }

    public void Save(VmPaths paths)
    {
        Directory.CreateDirectory(paths.DataDirectory);
        var file = FileOf(paths);
        var temporary = file + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(this, Json));
        File.Move(temporary, file, overwrite: true);
    }

    /// <summary>Adds a snapshot as a child of the current one and makes it current.</summary>
    public SnapshotCatalog Add(VmSnapshot snapshot) =>
        this with { Snapshots = [.. Snapshots, snapshot with { Parent = Current }], Current = snapshot.Name };

    /// <summary>Removes a snapshot; its children and, if it was current, the VM's position move up to its parent.</summary>
    public SnapshotCatalog Remove(string name)
    {
        var removed = Find(name);
        var parent = removed?.Parent;
        return this with
        {
            Snapshots = [.. Snapshots.Where(s => s.Name != name).Select(s => s.Parent == name ? s with { Parent = parent } : s)],
            Current = Current == name ? parent : Current,
        };
    }
}
