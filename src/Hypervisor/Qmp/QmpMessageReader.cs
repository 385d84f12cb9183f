using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace WebVirt.Hypervisor.Qmp;

/// <summary>
/// Splits the QMP stream into lines and parses each as one JSON object. Lines are not capped small:
/// <c>query-qmp-schema</c> alone is about 200 KB on one line.
/// </summary>
internal sealed class QmpMessageReader(PipeReader reader, long maxLineBytes)
{
    public const long DefaultMaxLineBytes = 64L * 1024 * 1024;

    /// <summary>Returns the next message, or null at end of stream. Throws <see cref="QmpException"/> on non-QMP input.</summary>
    public async ValueTask<JsonElement?> ReadAsync(CancellationToken cancellationToken)
    {
        // Bytes of the current partial line already searched for '\n', so a long line is scanned once.
        long scanned = 0;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Slice(scanned).PositionOf((byte)'\n') is { } newline)
            {
                JsonElement? message;
                try
                {
                    message = Parse(buffer.Slice(0, newline));
                }
                finally
                {
                    reader.AdvanceTo(buffer.GetPosition(1, newline));
                }

                scanned = 0;
                if (message is { } value)
                {
                    return value;
                }

                continue;
            }

            if (buffer.Length > maxLineBytes)
            {
                reader.AdvanceTo(buffer.End);
                throw new QmpException($"QMP line exceeds {maxLineBytes} bytes without a newline");
            }

            scanned = buffer.Length;
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                // A partial last line means QEMU died mid-message: nothing to deliver.
                return null;
            }
        }
    }

    /// <summary>Returns the pipe's pooled buffers; the reader is unusable afterwards.</summary>
    public ValueTask CompleteAsync() => reader.CompleteAsync();

    private static JsonElement? Parse(ReadOnlySequence<byte> line)
    {
        if (IsBlank(line))
        {
            return null;
        }

        try
        {
            var json = new Utf8JsonReader(line);
            var element = JsonElement.ParseValue(ref json);
            return element.ValueKind == JsonValueKind.Object
                ? element
                : throw new QmpException($"QMP message is not a JSON object: {QmpJson.Truncate(element)}");
        }
        catch (JsonException ex)
        {
            throw new QmpException($"QMP message is not valid JSON: {ex.Message}", ex);
        }
    }

    private static bool IsBlank(ReadOnlySequence<byte> line)
    {
        foreach (var segment in line)
        {
            foreach (var b in segment.Span)
            {
                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
