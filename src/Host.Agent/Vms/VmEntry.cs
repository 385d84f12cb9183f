using System.Diagnostics.CodeAnalysis;
using WebVirt.Hypervisor.Processes;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Vms;

/// <summary>
/// What the agent knows about one VM: its definition, its running QEMU if any, how it last stopped, and
/// which operation (at most one) is working on it.
/// </summary>
/// <param name="sequence">Numbers its reports as they are built, under the entry's lock, so numbers follow observation.</param>
internal sealed class VmEntry(Guid uuid, ReportSequence sequence)
{
    private readonly Lock _lock = new();
    private string? _operation;
    private bool _removed;
    private VmDefinition? _definition;
    private string? _pendingName;
    private VmRun? _run;
    private VmExit? _lastExit;
    private int? _unreachablePid;

    public Guid Uuid => uuid;

    public VmDefinition? Definition
    {
        get
        {
            lock (_lock)
            {
                return _definition;
            }
        }
    }

    public VmRun? Run
    {
        get
        {
            lock (_lock)
            {
                return _run;
            }
        }
    }

    /// <summary>Whether the panel should hear of this VM: defined, or running (possibly without a definition).</summary>
    public bool IsVisible
    {
        get
        {
            lock (_lock)
            {
                return _definition is not null || _run is not null || _unreachablePid is not null;
            }
        }
    }

    /// <summary>The name users know it by; the name being defined counts too, so that two defines cannot race to one name.</summary>
    public string Name
    {
        get
        {
            lock (_lock)
            {
                return _definition?.Name ?? _pendingName ?? uuid.ToString("D");
            }
        }
    }

    public bool IsRemoved
    {
        get
        {
            lock (_lock)
            {
                return _removed;
            }
        }
    }

    public static VmEntry Defined(VmDefinition definition, ReportSequence sequence)
    {
        var entry = new VmEntry(definition.Uuid, sequence);
        entry._definition = definition;
        return entry;
    }

    public static VmEntry Pending(VmDefinition definition, ReportSequence sequence)
    {
        var entry = new VmEntry(definition.Uuid, sequence);
        entry._pendingName = definition.Name;
        return entry;
    }

    /// <summary>Claims the VM for <paramref name="operation"/>; false with the operation already at work, or null when the VM was removed.</summary>
    public bool TryBegin(string operation, out string? running)
    {
        lock (_lock)
        {
            running = _removed ? null : _operation;
            if (_removed || _operation is not null)
            {
                return false;
            }

            _operation = operation;
            return true;
        }
    }

    /// <summary>The operation that holds the VM right now, if any.</summary>
    public string? CurrentOperation
    {
        get
        {
            lock (_lock)
            {
                return _operation;
            }
        }
    }

    public void End()
    {
        lock (_lock)
        {
            _operation = null;
        }
    }

    public void Commit(VmDefinition definition)
    {
        lock (_lock)
        {
            _definition = definition;
            _pendingName = null;
        }
    }

    public void MarkRemoved()
    {
        lock (_lock)
        {
            _removed = true;
        }
    }

    public void SetRun(VmRun run)
    {
        lock (_lock)
        {
            _run = run;
            _unreachablePid = null;
        }
    }

    public void SetUnreachable(int? pid)
    {
        lock (_lock)
        {
            _unreachablePid = pid;
        }
    }

    /// <summary>Records the exit of <paramref name="run"/>; false when the agent had already let go of it.</summary>
    public bool Finish(VmRun run, VmExit exit)
    {
        lock (_lock)
        {
            if (_run != run)
            {
                return false;
            }

            _run = null;
            _lastExit = exit;
            return true;
        }
    }

    /// <summary>Lets go of the running QEMU without stopping it (agent shutdown).</summary>
    public bool TryDetach([NotNullWhen(true)] out VmRun? run)
    {
        lock (_lock)
        {
            run = _run;
            _run = null;
            return run is not null;
        }
    }

    /// <summary>The VM's actual state; <paramref name="state"/> and <paramref name="qemuStatus"/> override what the process last saw.</summary>
    public VmReport Report(string? reason = null, VmPowerState? state = null, string? qemuStatus = null)
    {
        lock (_lock)
        {
            var name = _definition?.Name ?? _pendingName ?? uuid.ToString("D");
            if (_run is { } run)
            {
                return new VmReport
                {
                    Uuid = uuid,
                    Name = name,
                    State = state ?? run.Process.State,
                    QemuStatus = qemuStatus ?? run.Process.QemuStatus,
                    Pid = run.Process.Pid,
                    StartedAt = run.StartedAt,
                    LastExit = _lastExit?.Description,
                    Reason = reason,
                    Sequence = sequence.Next(),
                };
            }

            if (_unreachablePid is { } pid)
            {
                return new VmReport
                {
                    Uuid = uuid,
                    Name = name,
                    State = VmPowerState.Unknown,
                    QemuStatus = "unknown",
                    Pid = pid,
                    LastExit = _lastExit?.Description,
                    Reason = reason ?? "QEMU runs but the agent cannot reach its monitor socket",
                    Sequence = sequence.Next(),
                };
            }

            return new VmReport
            {
                Uuid = uuid,
                Name = name,
                State = state ?? VmPowerState.Stopped,
                QemuStatus = qemuStatus ?? "stopped",
                LastExit = _lastExit?.Description,
                Reason = reason,
                Sequence = sequence.Next(),
            };
        }
    }
}
