namespace WebVirt.Hypervisor.Tests.Images;

/// <summary>Records reports synchronously and in order, which <see cref="Progress{T}"/> does not promise.</summary>
internal sealed class RecordingProgress(Action<double>? onReport = null) : IProgress<double>
{
    private readonly List<double> _values = [];

    public IReadOnlyList<double> Values
    {
        get
        {
            lock (_values)
            {
                return [.. _values];
            }
        }
    }

    public void Report(double value)
    {
        lock (_values)
        {
            _values.Add(value);
        }

        onReport?.Invoke(value);
    }
}
