using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using WebVirt.Shared.Agents;

namespace WebVirt.Host.Agent.Tests.Connection;

/// <summary>
/// An <see cref="IAgentClient"/> that records each call (name and arguments) and answers with a reply naming the
/// command, so a test can tell that a call crossed the hub to this very method.
/// </summary>
/// <remarks>Public and unsealed: DispatchProxy derives from it at run time.</remarks>
public class RecordingAgentClient : DispatchProxy
{
    public ConcurrentQueue<(string Name, object?[] Arguments)> Calls { get; } = new();

    /// <summary>This recorder as the contract it implements.</summary>
    public IAgentClient AsClient => (IAgentClient)(object)this;

    public static RecordingAgentClient Create() => (RecordingAgentClient)(object)Create<IAgentClient, RecordingAgentClient>();

    /// <summary>The reply the recorder gives for a command: an AgentReply whose error names it, or an empty reply object.</summary>
    public static object ReplyFor(MethodInfo method)
    {
        var type = method.ReturnType.GetGenericArguments()[0];
        return type == typeof(AgentReply)
            ? AgentReply.Failure(AgentErrorKind.Failed, "recorded " + method.Name)
            : RuntimeHelpers.GetUninitializedObject(type);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        Calls.Enqueue((targetMethod.Name, args ?? []));
        var reply = ReplyFor(targetMethod);
        return typeof(Task).GetMethod(nameof(Task.FromResult))!.MakeGenericMethod(reply.GetType()).Invoke(null, [reply]);
    }
}
