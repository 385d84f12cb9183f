using WebVirt.Rules.Definitions;
using WebVirt.Rules.Storage;
using WebVirt.Shared.Storage;

namespace WebVirt.Host.Agent.Storage;

/// <summary>Which ISOs may reach a VM's CD-ROM drive: plain .iso files directly in one of the host's pools, which the agent screened.</summary>
internal sealed class PoolIsos(PoolRegistry pools)
{
    /// <summary>Null when <paramref name="isoPath"/> is such an ISO, else why not.</summary>
    public string? Check(string isoPath)
    {
        // Before any path arithmetic: .NET refuses a NUL in a path with an exception, not an answer.
        if (DefinitionValidator.CheckPath(isoPath) is { } malformed)
        {
            return $"the ISO's path {malformed}.";
        }

        if (pools.PoolOf(isoPath) is not { } pool || PoolPaths.Normalise(isoPath) != isoPath)
        {
            return $"'{isoPath}' is not a file in one of this host's pools.";
        }

        var name = Path.GetFileName(isoPath);
        if (PoolFileNames.Check(name) is { } invalid || PoolFileNames.KindOf(name) != PoolFileKind.Iso)
        {
            return $"'{isoPath}' is not an ISO image{(PoolFileNames.Check(name) is { } why ? $": {why}" : "")}.";
        }

        return new FileInfo(isoPath) is { Exists: true, LinkTarget: null } ? null : $"There is no ISO '{name}' in pool '{pool}'.";
    }
}
