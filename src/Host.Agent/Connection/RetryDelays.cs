using Microsoft.AspNetCore.SignalR.Client;

namespace WebVirt.Host.Agent.Connection;

/// <summary>
/// A reconnect policy that never gives up: the delays in order, then the last one for ever; a refused token
/// waits the (longer) unauthorized delay, since only an administrator can fix it.
/// </summary>
internal sealed class RetryDelays(PanelConnectionOptions options, Action<Exception?, TimeSpan>? onUnauthorized = null) : IRetryPolicy
{
    public TimeSpan? NextRetryDelay(RetryContext retryContext)
    {
        if (retryContext.RetryReason is { } reason && ConnectFailures.IsUnauthorized(reason))
        {
            onUnauthorized?.Invoke(reason, options.UnauthorizedRetryDelay);
            return options.UnauthorizedRetryDelay;
        }

        return For(retryContext.PreviousRetryCount);
    }

    public TimeSpan For(long attempt)
    {
        var delays = options.RetryDelays;
        return delays.Count == 0 ? TimeSpan.FromSeconds(30) : delays[(int)Math.Min(attempt, delays.Count - 1)];
    }
}
