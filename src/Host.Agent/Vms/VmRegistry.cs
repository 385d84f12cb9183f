using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using WebVirt.Hypervisor.CommandLine;
using WebVirt.Hypervisor.Images;
using WebVirt.Hypervisor.Processes;
using WebVirt.Hypervisor.Qmp;
using WebVirt.Rules.Definitions;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Vms;

/// <summary>
/// The VMs this agent knows, and the rules every feature service shares for working on them: at most one operation
/// per VM at a time (claimed, run, released), expected failures turned into replies, operations tracked so that
/// the agent can await them at stop, and one feed of reports, numbered by one sequence.
/// </summary>
internal sealed class VmRegistry(ReportSequence sequence, ILogger<VmRegistry> logger)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, VmEntry> _entries = [];
    private readonly ConcurrentDictionary<Task, byte> _operations = new();
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Every report published (state changes, starts, exits), in order.</summary>
    public VmReportFeed Feed { get; } = new();

    /// <summary>Progress of long operations for the panel's tasks.</summary>
    public TaskProgressFeed Progress { get; } = new();

    /// <summary>Cancelled when the agent stops: operations in flight give up.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public bool IsStopping => _stopping.IsCancellationRequested;

    /// <summary>A new entry for a VM found running, numbered by this registry's sequence; not yet added.</summary>
    public VmEntry NewEntry(Guid uuid) => new(uuid, sequence);

    /// <summary>Adds (or replaces) the entry of a VM loaded from its stored definition or found running.</summary>
    public VmEntry Add(VmEntry entry)
    {
        lock (_lock)
        {
            _entries[entry.Uuid] = entry;
        }

        return entry;
    }

    public VmEntry AddDefined(VmDefinition definition) => Add(VmEntry.Defined(definition, sequence));

    public bool Contains(Guid uuid)
    {
        lock (_lock)
        {
            return _entries.ContainsKey(uuid);
        }
    }

    public VmEntry? TryGetEntry(Guid uuid)
    {
        lock (_lock)
        {
            return _entries.GetValueOrDefault(uuid);
        }
    }

    public List<VmEntry> Entries()
    {
        lock (_lock)
        {
            return [.. _entries.Values];
        }
    }

    public void Forget(VmEntry entry)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(entry.Uuid, out var current) && current == entry)
            {
                _entries.Remove(entry.Uuid);
            }
        }

        entry.MarkRemoved();
    }

    /// <summary>The actual state of every VM on this host.</summary>
    public IReadOnlyList<VmReport> Reports() => Entries().Where(e => e.IsVisible).Select(e => e.Report()).ToList();

    public VmReport? Report(Guid uuid) => TryGetEntry(uuid) is { IsVisible: true } entry ? entry.Report() : null;

    /// <summary>The running QEMU of a VM, if any.</summary>
    public VmProcess? RunningProcess(Guid uuid) => TryGetEntry(uuid)?.Run?.Process;

    /// <summary>
    /// Claims the entry a definition goes into (a new, pending one when the VM is new) for <paramref name="operation"/>;
    /// checked and claimed under one lock, so that two defines cannot both take a name.
    /// </summary>
    /// <returns>Null with the claimed entry, or the reply that refuses.</returns>
    public AgentReply? TryClaimForDefinition(VmDefinition definition, string operation, out VmEntry entry, out bool isNew)
    {
        lock (_lock)
        {
            entry = null!;
            isNew = false;
            var clash = _entries.Values.FirstOrDefault(e => e.Uuid != definition.Uuid && string.Equals(e.Name, definition.Name, StringComparison.OrdinalIgnoreCase));
            if (clash is not null)
            {
                return AgentReply.Failure(AgentErrorKind.Invalid, $"The name '{definition.Name}' is already used by VM {clash.Uuid} on this host.");
            }

            isNew = !_entries.TryGetValue(definition.Uuid, out var existing);
            var claimed = existing ?? VmEntry.Pending(definition, sequence);
            if (!claimed.TryBegin(operation, out var running))
            {
                return running is null ? AgentReplies.NotFound(definition.Uuid) : AgentReplies.Busy(claimed, running);
            }

            _entries[definition.Uuid] = claimed;
            entry = claimed;
            return null;
        }
    }

    /// <summary>Runs <paramref name="body"/> as the VM's one operation, or answers at once why it cannot run now.</summary>
    public Task<AgentReply> RunAsync(Guid uuid, string operation, Func<VmEntry, CancellationToken, Task<AgentReply>> body)
    {
        if (IsStopping)
        {
            return Task.FromResult(AgentReplies.ShuttingDown(operation));
        }

        var entry = TryGetEntry(uuid);
        if (entry is null || !entry.IsVisible)
        {
            return Task.FromResult(AgentReplies.NotFound(uuid));
        }

        if (!entry.TryBegin(operation, out var running))
        {
            return Task.FromResult(running is null ? AgentReplies.NotFound(uuid) : AgentReplies.Busy(entry, running));
        }

        return Track(GuardAsync(entry, operation, ct => body(entry, ct), forgetOnFailure: false));
    }

    /// <summary>Runs an operation that holds the VM's claim, turns expected failures into replies, then releases the claim.</summary>
    public async Task<AgentReply> GuardAsync(VmEntry entry, string operation, Func<CancellationToken, Task<AgentReply>> body, bool forgetOnFailure)
    {
        AgentReply reply;
        try
        {
            reply = await body(_stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            reply = Failure(entry, operation, ex);
        }

        try
        {
            if (!reply.Ok)
            {
                VmHostLog.OperationRefused(logger, operation, entry.Uuid, entry.Name, reply.ErrorKind, reply.Error);
                if (forgetOnFailure)
                {
                    Forget(entry);
                }
            }
        }
        finally
        {
            entry.End();
        }

        return reply;
    }

    /// <summary>Remembers an operation in flight until it ends, so that <see cref="StopAsync"/> can await it.</summary>
    public Task<T> Track<T>(Task<T> operation)
    {
        _operations.TryAdd(operation, 0);
        _ = operation.ContinueWith(t => _operations.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return operation;
    }

    /// <summary>Cancels the operations in flight and waits for them to end; new ones are refused from now on.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_operations.Keys).ConfigureAwait(false);
    }

    /// <summary>The reply for an operation that threw: expected failures in their own words, anything else logged as a crash.</summary>
    public AgentReply Failure(VmEntry entry, string operation, Exception exception)
    {
        var what = $"Could not {operation} VM '{entry.Name}'";
        switch (exception)
        {
            case InvalidDefinitionException or ArgumentException:
                return AgentReply.Failure(AgentErrorKind.Invalid, exception.Message);
            case VmStartException or ImageException:
                return AgentReply.Failure(AgentErrorKind.Failed, exception.Message);
            case OperationCanceledException when _stopping.IsCancellationRequested:
                return AgentReplies.ShuttingDown(operation);
            case QmpException or TimeoutException or IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException:
                return AgentReply.Failure(AgentErrorKind.Failed, $"{what}: {exception.Message}");
            default:
                VmHostLog.OperationCrashed(logger, operation, entry.Uuid, exception);
                return AgentReply.Failure(AgentErrorKind.Failed, $"{what}: {exception.GetType().Name}: {exception.Message}");
        }
    }
}
