using System.Text.Json;
using System.Text.Json.Serialization;

namespace WebVirt.Web.Api;

/// <summary>
/// Enums in API bodies: a value's exact name (any case) or its number, and nothing else. The stock string-enum converter
/// also takes numbers that name no value (99) and comma lists ("Tcp,Udp") for enums that are not flags; both would be
/// stored and turned into some default later. A [Flags] enum takes a comma list of its names.
/// </summary>
internal sealed class StrictEnumConverter<T> : JsonConverter<T>
    where T : struct, Enum
{
    private static readonly bool IsFlags = typeof(T).IsDefined(typeof(FlagsAttribute), inherit: false);
    private static readonly ulong AllFlags = Enum.GetValues<T>().Aggregate(0UL, (all, v) => all | Convert.ToUInt64(v, System.Globalization.CultureInfo.InvariantCulture));

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var number) && IsAcceptedNumber(number))
        {
            return (T)Enum.ToObject(typeof(T), number);
        }

        if (reader.TokenType == JsonTokenType.String && Parse(reader.GetString()!) is { } named)
        {
            return named;
        }

        throw new JsonFieldException($"must be {(IsFlags ? "one or more of" : "one of")} {string.Join(", ", Enum.GetNames<T>())}");
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }

    private static bool IsAcceptedNumber(long number) => IsFlags
        ? number >= 0 && ((ulong)number & ~AllFlags) == 0
        : Enum.IsDefined(typeof(T), (T)Enum.ToObject(typeof(T), number));

    private static T? Parse(string text)
    {
        var parts = IsFlags ? text.Split(',', StringSplitOptions.TrimEntries) : [text];
        var value = 0UL;
        foreach (var part in parts)
        {
            var name = Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, part, StringComparison.OrdinalIgnoreCase));
            if (name is null)
            {
                return null;
            }

            value |= Convert.ToUInt64(Enum.Parse<T>(name), System.Globalization.CultureInfo.InvariantCulture);
        }

        return (T)Enum.ToObject(typeof(T), value);
    }
}
