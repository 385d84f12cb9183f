using System.Net;
using System.Net.WebSockets;

namespace WebVirt.Host.Agent.Connection;

/// <summary>Tells a refused token apart from an unreachable panel.</summary>
internal static class ConnectFailures
{
    public static bool IsUnauthorized(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case HttpRequestException { StatusCode: HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden }:
                    return true;

                // Without negotiation the refusal arrives as a failed WebSocket upgrade, with the status only in the message.
                case WebSocketException when e.Message.Contains("'401'", StringComparison.Ordinal) || e.Message.Contains("'403'", StringComparison.Ordinal):
                    return true;
            }
        }

        return false;
    }

    /// <summary>The innermost message, which names the actual cause (connection refused, name not resolved, …).</summary>
    public static string Describe(Exception exception)
    {
        var inner = exception;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner == exception ? exception.Message : $"{exception.Message} ({inner.Message})";
    }
}
