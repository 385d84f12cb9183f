using WebVirt.Rules.Storage;
namespace WebVirt.Host.Agent.Storage;

/// <summary>Where a transfer into a pool writes (<see cref="PartialPath"/>) and where the checked file ends up (<see cref="FinalPath"/>).</summary>
internal sealed record TransferTarget(string Pool, string FileName, string FinalPath, string PartialPath)
{
    public static TransferTarget In(string pool, string fileName) => new(
        pool,
        fileName,
        Path.Join(pool, fileName),
        Path.Join(pool, PoolFileNames.PartialFolder, fileName));
}
