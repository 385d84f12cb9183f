using System.Net;

namespace WebVirt.TestSupport;

/// <summary>
/// A request body that announces <c>length</c> bytes but breaks off after the first <c>sendBytes</c>, as when a
/// browser tab closes in the middle of an upload chunk.
/// </summary>
public sealed class CutOffContent(byte[] data, int sendBytes) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(data.AsMemory(0, sendBytes));
        await stream.FlushAsync();

        // Give the bytes time to reach the server before the connection is torn down.
        await Task.Delay(500);
        throw new IOException("The upload was cut off on purpose.");
    }

    protected override bool TryComputeLength(out long length)
    {
        length = data.Length;
        return true;
    }
}
