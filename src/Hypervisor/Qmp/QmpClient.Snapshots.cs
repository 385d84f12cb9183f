using System.Text.Json.Nodes;

namespace WebVirt.Hypervisor.Qmp;

// Internal snapshots of a running VM. snapshot-save/-load/-delete are jobs (QEMU 6.0+): the reply only says
// the job started; WaitForJobAsync follows it to the end. Devices are qcow2 node names.
public sealed partial class QmpClient
{
    /// <summary>Starts saving RAM and device state to <paramref name="vmStateNode"/> and a disk snapshot of every device, under one tag.</summary>
    public Task SnapshotSaveAsync(string jobId, string tag, string vmStateNode, IReadOnlyList<string> devices, CancellationToken cancellationToken = default) =>
        ExecuteAsync("snapshot-save", SnapshotArguments(jobId, tag, vmStateNode, devices), cancellationToken: cancellationToken);

    /// <summary>Starts loading a snapshot taken with <see cref="SnapshotSaveAsync"/>: the disks and the guest's RAM return to it.</summary>
    public Task SnapshotLoadAsync(string jobId, string tag, string vmStateNode, IReadOnlyList<string> devices, CancellationToken cancellationToken = default) =>
        ExecuteAsync("snapshot-load", SnapshotArguments(jobId, tag, vmStateNode, devices), cancellationToken: cancellationToken);

    /// <summary>Starts deleting the tag from every device (with or without saved state).</summary>
    public Task SnapshotDeleteAsync(string jobId, string tag, IReadOnlyList<string> devices, CancellationToken cancellationToken = default) =>
        ExecuteAsync("snapshot-delete", SnapshotArguments(jobId, tag, null, devices), cancellationToken: cancellationToken);

    /// <summary>
    /// A disk-only internal snapshot of every device at one instant (a transaction), without saving RAM.
    /// Synchronous: the reply comes once every image holds the snapshot.
    /// </summary>
    public Task InternalDiskSnapshotAsync(string tag, IReadOnlyList<string> devices, CancellationToken cancellationToken = default)
    {
        var actions = new JsonArray();
        foreach (var device in devices)
        {
            actions.Add(new JsonObject
            {
                ["type"] = "blockdev-snapshot-internal-sync",
                ["data"] = new JsonObject { ["device"] = device, ["name"] = tag },
            });
        }

        return ExecuteAsync("transaction", new JsonObject { ["actions"] = actions }, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Polls <c>query-jobs</c> until the job concludes, reporting its progress (0..1), then dismisses it.
    /// A job that ended with an error throws a <see cref="QmpException"/> carrying QEMU's message.
    /// </summary>
    public async Task WaitForJobAsync(string jobId, IProgress<double>? progress, TimeSpan pollInterval, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var job = (await QueryJobsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(j => j.Id == jobId)
                ?? throw new QmpException($"Job '{jobId}' disappeared from query-jobs before it concluded.");
            if (job.TotalProgress > 0)
            {
                progress?.Report(Math.Clamp((double)job.CurrentProgress / job.TotalProgress, 0, 1));
            }

            if (job.Status is "concluded" or "null")
            {
                await JobDismissAsync(jobId, cancellationToken).ConfigureAwait(false);
                if (job.Error is { } error)
                {
                    throw new QmpException($"{job.Type} failed: {error}");
                }

                progress?.Report(1);
                return;
            }

            await Task.Delay(pollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static JsonObject SnapshotArguments(string jobId, string tag, string? vmStateNode, IReadOnlyList<string> devices)
    {
        var arguments = new JsonObject { ["job-id"] = jobId, ["tag"] = tag, ["devices"] = new JsonArray([.. devices.Select(d => (JsonNode)d)]) };
        if (vmStateNode is not null)
        {
            arguments["vmstate"] = vmStateNode;
        }

        return arguments;
    }
}
