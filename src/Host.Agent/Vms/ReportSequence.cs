namespace WebVirt.Host.Agent.Vms;

/// <summary>
/// Numbers every report this agent makes, from one host-wide counter, so the panel can tell an older report from
/// a newer one whichever way each reached it (pushed, or carried in a reply).
/// </summary>
/// <remarks>
/// Seeded from the clock in microseconds: a restarted agent starts above everything its predecessor numbered
/// unless that one made more than a million reports a second, or the clock went back.
/// </remarks>
internal sealed class ReportSequence(TimeProvider clock)
{
    private long _last = (clock.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;

    /// <summary>The number after every one handed out so far, by any thread.</summary>
    public long Next() => Interlocked.Increment(ref _last);
}
