using System.Net;
using System.Text.Json;

namespace WebVirt.TestSupport;

/// <summary>
/// Uploads a file to a pool through the panel's API the way the upload page does: ask where to start, then
/// PUT fixed-size slices with their offset and the file's total size, each as its own request.
/// </summary>
public sealed class ChunkedUpload(HttpClient api, Guid hostId, Guid poolId, string fileName, string sourcePath, int chunkBytes)
{
    public string Address => $"/api/v1/hosts/{hostId}/pools/{poolId}/uploads/{Uri.EscapeDataString(fileName)}";

    private const int MaxRetries = 5;

    public long TotalBytes { get; } = new FileInfo(sourcePath).Length;

    /// <summary>Chunks sent again because the host kept only part of them.</summary>
    public int Retries { get; private set; }

    /// <summary>Bytes the host holds already (the panel asks its agent).</summary>
    public async Task<long> ReceivedAsync()
    {
        using var response = await api.GetAsync(Address);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {Address}: {(int)response.StatusCode} {body}");
        }

        return JsonDocument.Parse(body).RootElement.GetProperty("receivedBytes").GetInt64();
    }

    /// <summary>Sends the chunk at <paramref name="offset"/>; returns the response (the caller disposes it).</summary>
    public async Task<HttpResponseMessage> SendChunkAsync(long offset, string? sha256 = null, HttpContent? content = null)
    {
        var length = (int)Math.Min(chunkBytes, TotalBytes - offset);
        if (content is null)
        {
            var bytes = new byte[length];
            await using (var file = File.OpenRead(sourcePath))
            {
                file.Position = offset;
                await file.ReadExactlyAsync(bytes);
            }

            content = new ByteArrayContent(bytes);
        }

        var query = $"?offset={offset}&total={TotalBytes}" + (sha256 is null ? "" : $"&sha256={sha256}");
        return await api.PutAsync(Address + query, content);
    }

    /// <summary>Sends every chunk from where the host stands to the end; returns the last response's JSON.</summary>
    public async Task<JsonElement> RunAsync(string? sha256 = null, Action<long>? progress = null)
    {
        var offset = await ReceivedAsync();
        var retries = 0;
        while (true)
        {
            using var response = await SendChunkAsync(offset, sha256);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable && ++retries <= MaxRetries
                && JsonDocument.Parse(body).RootElement.TryGetProperty("receivedBytes", out var kept))
            {
                // The host kept part of the chunk: go on where it stands, as the page does.
                Retries++;
                offset = kept.GetInt64();
                continue;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"PUT {Address} at {offset}: {(int)response.StatusCode} {body}");
            }

            retries = 0;
            var result = JsonDocument.Parse(body).RootElement;
            offset = result.GetProperty("receivedBytes").GetInt64();
            progress?.Invoke(offset);
            if (result.GetProperty("complete").GetBoolean())
            {
                return result;
            }
        }
    }
}
