namespace WebVirt.Bench.ConsoleRelay;

/// <summary>One run of one path.</summary>
internal sealed record PathResult(double MegabytesPerSecond, double P50Microseconds, double P99Microseconds);
