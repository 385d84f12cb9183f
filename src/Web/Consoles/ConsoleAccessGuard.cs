using Microsoft.Extensions.Options;
using WebVirt.Web.Security;

namespace WebVirt.Web.Consoles;

/// <summary>
/// Runs <see cref="ConsoleAccessCheck"/> every <see cref="SecurityOptions.SessionCheckSeconds"/> (at least every
/// second), so that a console opened before its user was disabled, reset or lost VM.Console does not stay open:
/// the relay has no request that a cookie check could refuse.
/// </summary>
internal sealed class ConsoleAccessGuard(ConsoleAccessCheck check, IOptions<SecurityOptions> security, ILogger<ConsoleAccessGuard> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, security.Value.SessionCheckSeconds)));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await check.RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A busy database now must not stop the checks for good.
                ConsoleLog.CheckFailed(logger, ex.Message);
            }
        }
    }
}
