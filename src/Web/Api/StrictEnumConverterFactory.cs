using System.Text.Json;
using System.Text.Json.Serialization;

namespace WebVirt.Web.Api;

/// <summary>Gives every enum of the API a <see cref="StrictEnumConverter{T}"/> (nullable ones through the serializer's own wrapper).</summary>
internal sealed class StrictEnumConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter? CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter?)Activator.CreateInstance(typeof(StrictEnumConverter<>).MakeGenericType(typeToConvert));
}
