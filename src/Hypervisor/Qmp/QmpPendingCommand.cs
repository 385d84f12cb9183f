namespace WebVirt.Hypervisor.Qmp;

/// <summary>
/// A command from the moment it is queued until its reply arrives. <see cref="Sent"/> and
/// <see cref="Abandoned"/> are guarded by the client's pending-table lock.
/// </summary>
internal sealed class QmpPendingCommand(long id, string command, ReadOnlyMemory<byte> line)
{
    private readonly TaskCompletionSource<QmpResponse> _response = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Id => id;

    public string Command => command;

    /// <summary>The command as it goes on the wire: one JSON object and a newline.</summary>
    public ReadOnlyMemory<byte> Line => line;

    public Task<QmpResponse> Response => _response.Task;

    public bool Sent { get; set; }

    /// <summary>The caller timed out or cancelled; the slot stays until the reply arrives so it is not mis-matched.</summary>
    public bool Abandoned { get; set; }

    public void Complete(QmpResponse response) => _response.TrySetResult(response);
}
