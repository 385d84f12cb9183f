namespace WebVirt.Web.Agents;

/// <summary>A host's agent could not be reached for a query (offline, disconnected, no answer in time).</summary>
internal sealed class AgentUnavailableException(string message) : Exception(message);
