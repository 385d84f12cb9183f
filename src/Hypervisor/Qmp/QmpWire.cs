using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace WebVirt.Hypervisor.Qmp;

/// <summary>Formats commands as QMP wants them: one JSON object per line.</summary>
internal static class QmpWire
{
    // QEMU's parser understands \u escapes, but plain text keeps file names and "+60" readable in logs and traces.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonElement? SerializeArguments(object? arguments)
    {
        if (arguments is null)
        {
            return null;
        }

        var element = arguments as JsonElement? ?? JsonSerializer.SerializeToElement(arguments, arguments.GetType());
        return element.ValueKind == JsonValueKind.Object
            ? element
            : throw new ArgumentException($"QMP arguments must serialize to a JSON object, not {element.ValueKind}.", nameof(arguments));
    }

    public static ReadOnlyMemory<byte> FormatCommand(string command, JsonElement? arguments, long id)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + (arguments is null ? 0 : 256));
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("execute", command);
            if (arguments is { } args)
            {
                writer.WritePropertyName("arguments");
                args.WriteTo(writer);
            }

            writer.WriteNumber("id", id);
            writer.WriteEndObject();
        }

        buffer.Write("\n"u8);
        return buffer.WrittenMemory;
    }
}
