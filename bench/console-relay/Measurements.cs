using System.Diagnostics;

namespace WebVirt.Bench.ConsoleRelay;

internal static class Measurements
{
    public const long StreamBytes = 256L * 1024 * 1024;
    public const int PingPongs = 3000;

    /// <summary>Pushes <see cref="StreamBytes"/> through the path while reading the echo back; MB/s of the stream.</summary>
    public static async Task<double> ThroughputAsync(IBenchConnection connection)
    {
        var chunk = new byte[64 * 1024];
        Random.Shared.NextBytes(chunk);
        var watch = Stopwatch.StartNew();
        var send = Task.Run(async () =>
        {
            for (long sent = 0; sent < StreamBytes; sent += chunk.Length)
            {
                await connection.SendAsync(chunk);
            }
        });
        var buffer = new byte[256 * 1024];
        long received = 0;
        while (received < StreamBytes)
        {
            var read = await connection.ReceiveAsync(buffer);
            if (read == 0)
            {
                throw new InvalidOperationException($"The path closed after {received} bytes.");
            }

            received += read;
        }

        await send;
        return StreamBytes / 1e6 / watch.Elapsed.TotalSeconds;
    }

    /// <summary>One byte there and back, many times; the round trips in microseconds, sorted.</summary>
    public static async Task<double[]> PingPongAsync(IBenchConnection connection)
    {
        var ping = new byte[] { 42 };
        var pong = new byte[16];
        var rtts = new double[PingPongs];
        for (var i = 0; i < PingPongs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await connection.SendAsync(ping);
            if (await connection.ReceiveAsync(pong) != 1)
            {
                throw new InvalidOperationException("The ping-pong lost its byte.");
            }

            rtts[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(rtts);
        return rtts;
    }

    public static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
