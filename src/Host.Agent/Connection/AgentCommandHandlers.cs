using System.Reflection;
using Microsoft.AspNetCore.SignalR.Client;
using WebVirt.Shared.Agents;

namespace WebVirt.Host.Agent.Connection;

/// <summary>
/// Registers one hub handler per method of <see cref="IAgentClient"/>, read from the interface itself, so the
/// handlers cannot drift from the contract: a command the panel can send is a command the agent answers.
/// </summary>
internal static class AgentCommandHandlers
{
    /// <summary>The contract's commands; each returns a Task of the reply the panel awaits (a client result).</summary>
    public static IReadOnlyList<MethodInfo> Commands { get; } = [.. typeof(IAgentClient).GetMethods().OrderBy(m => m.Name, StringComparer.Ordinal)];

    /// <summary>Registers every command on <paramref name="connection"/>, answered by <paramref name="commands"/>.</summary>
    public static void Register(HubConnection connection, IAgentClient commands)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(commands);
        foreach (var method in Commands)
        {
            var result = ResultOf(method);
            var parameters = method.GetParameters().Select(p => p.ParameterType).ToArray();
            connection.On(method.Name, parameters, (arguments, state) => InvokeAsync(method, result, state, arguments), commands);
        }
    }

    private static async Task<object?> InvokeAsync(MethodInfo method, PropertyInfo result, object target, object?[] arguments)
    {
        Task task;
        try
        {
            task = (Task)method.Invoke(target, arguments)!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            // The command's own exception, not reflection's wrapper, reaches the panel as the call's error.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }

        await task.ConfigureAwait(false);
        return result.GetValue(task);
    }

    private static PropertyInfo ResultOf(MethodInfo method) =>
        method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>)
            ? method.ReturnType.GetProperty(nameof(Task<object>.Result))!
            : throw new InvalidOperationException($"{nameof(IAgentClient)}.{method.Name} must return Task<reply>: the panel awaits a result for every command.");
}
