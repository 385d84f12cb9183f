using System.Text.Json.Nodes;

namespace WebVirt.Hypervisor.Qmp;

public sealed partial class QmpClient
{
    /// <summary>
    /// Starts copying a running disk, as it is at this instant, into an existing empty qcow2 image of the same
    /// size, compressing it (the caller creates the image, so its owner and place are the caller's choice).
    /// The job stays listed once concluded (auto-dismiss off) so <see cref="WaitForJobAsync"/> can read its outcome.
    /// </summary>
    public Task DriveBackupAsync(string jobId, string node, string target, CancellationToken cancellationToken = default) =>
        ExecuteAsync("drive-backup", new JsonObject
        {
            ["job-id"] = jobId,
            ["device"] = node,
            ["target"] = target,
            ["format"] = "qcow2",
            ["sync"] = "full",
            ["compress"] = true,
            ["mode"] = "existing",
            ["auto-dismiss"] = false,
        }, cancellationToken: cancellationToken);
}
