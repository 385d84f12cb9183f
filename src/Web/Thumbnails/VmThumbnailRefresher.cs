namespace WebVirt.Web.Thumbnails;

/// <summary>Runs <see cref="VmThumbnails.RefreshAsync"/> every second; each VM is still captured at most once per interval.</summary>
internal sealed class VmThumbnailRefresher(VmThumbnails thumbnails, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await thumbnails.RefreshAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The panel is stopping.
        }
    }
}
