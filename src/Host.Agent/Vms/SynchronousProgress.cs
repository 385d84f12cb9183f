namespace WebVirt.Host.Agent.Vms;

/// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread (Progress&lt;T&gt; posts to a captured context).</summary>
internal sealed class SynchronousProgress(Action<double> report) : IProgress<double>
{
    public void Report(double value) => report(value);
}
