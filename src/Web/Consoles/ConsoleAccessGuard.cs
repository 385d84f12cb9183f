using Microsoft.Extensions.Options;
using WebVirt.Web.Account;
using WebVirt.Web.Inventory;
using WebVirt.Web.Security;

namespace WebVirt.Web.Consoles;

/// <summary>
/// Runs <see cref="ConsoleAccessCheck"/> every <see cref="SecurityOptions.SessionCheckSeconds"/> (at least every
/// second), so that a console opened before its user was disabled, reset or lost VM.Console does not stay open:
/// the relay has no request that a cookie check could refuse. When this panel ends a user's sign-ins
/// (<see cref="SignInEnds"/>) or changes who may do what (ACL, groups, roles, pools) the check runs at once.
/// </summary>
internal sealed class ConsoleAccessGuard(
    ConsoleAccessCheck check, SignInEnds ends, InventoryNotifier notifier, IOptions<SecurityOptions> security, ILogger<ConsoleAccessGuard> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(Math.Max(1, security.Value.SessionCheckSeconds));
        // Not disposed: an end raised while the panel stops must not fail the administrator's request.
        var ended = new SemaphoreSlim(0);
        void Wake(string _) => ended.Release();
        void WakeOnAccess(Guid _) => ended.Release();
        ends.Ended += Wake;
        notifier.AccessChanged += WakeOnAccess;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (await ended.WaitAsync(interval, stoppingToken))
                {
                    // Ends that came meanwhile are covered by this one run.
                    while (ended.Wait(0))
                    {
                    }
                }

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
        finally
        {
            ends.Ended -= Wake;
            notifier.AccessChanged -= WakeOnAccess;
        }
    }
}
