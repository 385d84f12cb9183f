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

    /// <summary>
    /// Opens an existing LUKS-encrypted qcow2 as node <paramref name="nodeName"/>, unlocked by the secret object
    /// <paramref name="secretId"/> that QEMU already holds: drive-backup cannot take a key for its target, so an
    /// encrypted backup goes through a node added here and <see cref="BlockdevBackupAsync"/>.
    /// </summary>
    public Task BlockdevAddEncryptedQcow2Async(string nodeName, string path, string secretId, CancellationToken cancellationToken = default) =>
        ExecuteAsync("blockdev-add", new JsonObject
        {
            ["driver"] = "qcow2",
            ["node-name"] = nodeName,
            ["file"] = new JsonObject { ["driver"] = "file", ["filename"] = path },
            ["encrypt"] = new JsonObject { ["format"] = "luks", ["key-secret"] = secretId },
        }, cancellationToken: cancellationToken);

    /// <summary>Starts copying a running disk, as it is at this instant, into the node <paramref name="targetNode"/> (uncompressed).</summary>
    public Task BlockdevBackupAsync(string jobId, string node, string targetNode, CancellationToken cancellationToken = default) =>
        ExecuteAsync("blockdev-backup", new JsonObject
        {
            ["job-id"] = jobId,
            ["device"] = node,
            ["target"] = targetNode,
            ["sync"] = "full",
            ["auto-dismiss"] = false,
        }, cancellationToken: cancellationToken);
}
