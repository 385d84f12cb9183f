using System.Net.Sockets;
using System.Text.Json;

namespace WebVirt.Hypervisor.Qmp;

// The wire side: the pending-command table, the single writer and the single reader, and shutdown.
public sealed partial class QmpClient
{
    private void Start()
    {
        _readLoop = Task.Run(ReadLoopAsync);
        _writeLoop = Task.Run(WriteLoopAsync);
    }

    private QmpPendingCommand Enqueue(string command, JsonElement? arguments)
    {
        lock (_pending)
        {
            if (_disconnect is { } disconnect)
            {
                throw new QmpDisconnectedException(command, disconnect);
            }

            // Queued under the lock so the outbox (wire) order matches id order.
            var id = ++_lastId;
            var pending = new QmpPendingCommand(id, command, QmpWire.FormatCommand(command, arguments, id));
            _pending.Add(id, pending);
            _outbox.Writer.TryWrite(pending);
            return pending;
        }
    }

    private void Abandon(QmpPendingCommand pending)
    {
        lock (_pending)
        {
            pending.Abandoned = true;
        }
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var pending in _outbox.Reader.ReadAllAsync(_shutdown.Token).ConfigureAwait(false))
            {
                lock (_pending)
                {
                    // Given up before it reached the wire: no reply will come, so don't send it at all.
                    if (pending.Abandoned)
                    {
                        _pending.Remove(pending.Id);
                        continue;
                    }

                    pending.Sent = true;
                }

                await _stream.WriteAsync(pending.Line, _shutdown.Token).ConfigureAwait(false);
                _logger.CommandSent(pending.Command, pending.Id);
            }
        }
        catch (Exception) when (_shutdown.IsCancellationRequested)
        {
            // Shutdown already recorded why.
        }
        catch (Exception ex)
        {
            Shutdown(new QmpDisconnect(QmpDisconnectReason.ClosedByPeer, ex));
        }
    }

    private async Task ReadLoopAsync()
    {
        QmpDisconnect disconnect;
        try
        {
            while (await _reader.ReadAsync(_shutdown.Token).ConfigureAwait(false) is { } message)
            {
                Dispatch(message);
            }

            disconnect = new QmpDisconnect(QmpDisconnectReason.ClosedByPeer);
        }
        catch (Exception) when (_shutdown.IsCancellationRequested)
        {
            await _reader.CompleteAsync().ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            // QEMU may reset rather than close the socket after 'quit'.
            disconnect = new QmpDisconnect(QmpDisconnectReason.ClosedByPeer, ex);
        }
        catch (Exception ex)
        {
            disconnect = new QmpDisconnect(QmpDisconnectReason.ProtocolError, ex);
        }

        Shutdown(disconnect);
        await _reader.CompleteAsync().ConfigureAwait(false);
    }

    private void Dispatch(JsonElement message)
    {
        if (message.TryGetProperty("event", out var name) && name.ValueKind == JsonValueKind.String)
        {
            var qmpEvent = new QmpEvent(name.GetString()!, QmpJson.Object(message, "data") ?? EmptyObject, ReadTimestamp(message));
            _logger.EventReceived(qmpEvent.Name);
            _events.Writer.TryWrite(qmpEvent);
        }
        else if (message.TryGetProperty("return", out var value))
        {
            Deliver(message, QmpResponse.Success(value));
        }
        else if (QmpJson.Object(message, "error") is { } error)
        {
            Deliver(message, QmpResponse.Failure(QmpJson.String(error, "class") ?? "GenericError", QmpJson.String(error, "desc") ?? ""));
        }
        else
        {
            _logger.UnknownMessage(QmpJson.Truncate(message));
        }
    }

    private void Deliver(JsonElement message, QmpResponse response)
    {
        var pending = TakePending(message);
        if (pending is null)
        {
            _logger.UnmatchedReply(QmpJson.Truncate(message));
        }
        else if (pending.Abandoned)
        {
            _logger.LateReplyDropped(pending.Command, pending.Id);
        }
        else
        {
            pending.Complete(response);
        }
    }

    private QmpPendingCommand? TakePending(JsonElement message)
    {
        lock (_pending)
        {
            QmpPendingCommand? pending = null;
            if (message.TryGetProperty("id", out var id))
            {
                if (id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var key))
                {
                    _pending.TryGetValue(key, out pending);
                }
            }
            else
            {
                // QEMU answers errors it cannot tie to a command (e.g. unparsable input) without an id;
                // replies come in order, so it belongs to the oldest command on the wire.
                foreach (var oldest in _pending.Values)
                {
                    pending = oldest.Sent ? oldest : null;
                    break;
                }
            }

            if (pending is not null)
            {
                _pending.Remove(pending.Id);
            }

            return pending;
        }
    }

    private static DateTimeOffset ReadTimestamp(JsonElement message)
    {
        if (QmpJson.Object(message, "timestamp") is not { } timestamp)
        {
            return DateTimeOffset.UtcNow;
        }

        var seconds = QmpJson.Int64(timestamp, "seconds") ?? 0;
        var microseconds = QmpJson.Int64(timestamp, "microseconds") ?? 0;
        return DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(microseconds * TimeSpan.TicksPerMicrosecond);
    }

    private void Shutdown(QmpDisconnect disconnect)
    {
        List<QmpPendingCommand> failed;
        lock (_pending)
        {
            if (_disconnect is not null)
            {
                return;
            }

            _disconnect = disconnect;
            failed = [.. _pending.Values];
            _pending.Clear();
        }

        _shutdown.Cancel();
        _stream.Dispose();
        _outbox.Writer.TryComplete();
        _events.Writer.TryComplete();
        foreach (var pending in failed)
        {
            pending.Complete(QmpResponse.Disconnected(disconnect));
        }

        _logger.Disconnected(_socketPath, disconnect.Reason, disconnect.Error);
        _completion.TrySetResult(disconnect);
    }
}
