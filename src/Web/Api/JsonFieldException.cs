using System.Text.Json;

namespace WebVirt.Web.Api;

/// <summary>A value the panel's JSON converters refuse, with a message written for the user (the serializer adds the field's path).</summary>
internal sealed class JsonFieldException(string message) : JsonException(message);
