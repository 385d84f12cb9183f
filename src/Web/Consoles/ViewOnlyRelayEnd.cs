using System.Buffers;
using WebVirt.Relay;

namespace WebVirt.Web.Consoles;

/// <summary>
/// The browser's end of a view-only VNC console: what the browser sends passes through <see cref="RfbViewOnlyFilter"/>
/// before it reaches the relay, so input never gets to the VM whatever the page's script does. Writes to the browser
/// pass unchanged.
/// </summary>
internal sealed class ViewOnlyRelayEnd(IRelayEnd browser) : IRelayEnd
{
    private readonly RfbViewOnlyFilter _filter = new();

    public long Dropped => _filter.Dropped;

    public ValueTask WaitReadableAsync(CancellationToken cancellationToken) => browser.WaitReadableAsync(cancellationToken);

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (buffer.Length <= RfbViewOnlyFilter.MaxHeld)
        {
            throw new ArgumentException("The buffer is too small for a held-back header.", nameof(buffer));
        }

        var scratch = ArrayPool<byte>.Shared.Rent(buffer.Length - RfbViewOnlyFilter.MaxHeld);
        try
        {
            while (true)
            {
                var read = await browser.ReadAsync(scratch.AsMemory(0, buffer.Length - RfbViewOnlyFilter.MaxHeld), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return 0;
                }

                var kept = _filter.Filter(scratch.AsSpan(0, read), buffer.Span);
                if (kept > 0)
                {
                    return kept;
                }

                // Everything read was input to drop; 0 would mean the end of the stream, so read on.
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => browser.WriteAsync(data, cancellationToken);

    public ValueTask CompleteWritesAsync(CancellationToken cancellationToken) => browser.CompleteWritesAsync(cancellationToken);

    public void Abort() => browser.Abort();
}
