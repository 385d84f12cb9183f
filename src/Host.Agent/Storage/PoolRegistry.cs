using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace WebVirt.Host.Agent.Storage;

/// <summary>
/// The folders this host keeps ISOs, images and backups in: the agent's image folder (the default pool) and
/// those the panel added, remembered in a small JSON file so that the agent checks upload targets and ISO
/// paths on its own, also after a restart without the panel.
/// </summary>
internal sealed class PoolRegistry
{
    private readonly Lock _lock = new();
    private readonly string _listFile;
    private readonly PoolRoots _roots;
    private List<string> _extra;

    public PoolRegistry(string defaultPool, string listFile, PoolRoots roots, ILogger logger)
    {
        DefaultPath = PoolPaths.Normalise(defaultPool);
        _listFile = Path.GetFullPath(listFile);
        _roots = roots;
        _extra = Load(_listFile, roots, logger);
    }

    public string DefaultPath { get; }

    /// <summary>Every pool, the default first.</summary>
    public IReadOnlyList<string> Paths
    {
        get
        {
            lock (_lock)
            {
                return [DefaultPath, .. _extra];
            }
        }
    }

    /// <summary>The pool whose path is exactly <paramref name="path"/> (as given, or normalised), or null.</summary>
    public string? Find(string? path)
    {
        if (string.IsNullOrEmpty(path) || !Path.IsPathFullyQualified(path) || path.Any(char.IsControl))
        {
            return null;
        }

        var normalised = PoolPaths.Normalise(path);
        return Paths.FirstOrDefault(p => p == normalised);
    }

    /// <summary>The pool a file lies directly in (not in a sub-folder), or null.</summary>
    public string? PoolOf(string? filePath)
    {
        if (string.IsNullOrEmpty(filePath) || !Path.IsPathFullyQualified(filePath))
        {
            return null;
        }

        return Find(Path.GetDirectoryName(PoolPaths.Normalise(filePath)));
    }

    /// <summary>Adds a pool after <see cref="PoolPaths.Check"/> and <see cref="PoolRoots.Check"/>; null on success, else why not.</summary>
    public string? Add(string path)
    {
        if ((PoolPaths.Check(path) ?? _roots.Check(path)) is { } invalid)
        {
            return $"path: {invalid}";
        }

        lock (_lock)
        {
            var all = new List<string> { DefaultPath };
            all.AddRange(_extra);
            if (all.FirstOrDefault(p => PoolPaths.IsInside(path, p) || PoolPaths.IsInside(p, path)) is { } overlap)
            {
                return overlap == path ? $"'{path}' is already a pool." : $"'{path}' overlaps the pool '{overlap}': pools may not lie inside each other.";
            }

            Save([.. _extra, path]);
            return null;
        }
    }

    /// <summary>Forgets a pool (its files stay); null on success, else why not.</summary>
    public string? Remove(string path)
    {
        lock (_lock)
        {
            if (path == DefaultPath)
            {
                return $"'{path}' is this host's default pool (its image folder) and cannot be removed.";
            }

            if (!_extra.Contains(path))
            {
                return $"'{path}' is not a pool of this host.";
            }

            Save([.. _extra.Where(p => p != path)]);
            return null;
        }
    }

    private void Save(List<string> extra)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_listFile)!);
        var temporary = _listFile + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(extra));
        File.Move(temporary, _listFile, overwrite: true);
        _extra = extra;
    }

    private static List<string> Load(string listFile, PoolRoots roots, ILogger logger)
    {
        if (!File.Exists(listFile))
        {
            return [];
        }

        // Only what still reads as a pool path counts; a hand-edited entry that does not is ignored.
        var paths = JsonSerializer.Deserialize<List<string>>(File.ReadAllText(listFile)) ?? [];
        var valid = paths.Where(p => !string.IsNullOrEmpty(p) && Path.IsPathFullyQualified(p) && PoolPaths.Normalise(p) == p).Distinct().ToList();

        // A pool added before the roots were narrowed (or by an older agent that had none) is dropped, loudly: its
        // files stay, but nothing in it is listed, written or deleted until an administrator allows its folder.
        foreach (var path in valid.ToList())
        {
            if (roots.Check(path) is { } refusal)
            {
                StorageLog.PoolIgnored(logger, path, refusal);
                valid.Remove(path);
            }
        }

        return valid;
    }
}
