using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebVirt.Host.Agent.Configuration;
using WebVirt.Host.Agent.Vms;
using WebVirt.Shared.Agents;

namespace WebVirt.Host.Agent.Connection;

/// <summary>
/// The agent's one link to the panel: dials out to the panel's hub, registers after every (re)connect with
/// the host's facts and the state of every VM, answers the panel's commands through <see cref="AgentCommands"/>, and
/// pushes every VM state change. Retries for ever, except after the panel refused the agent's protocol.
/// </summary>
internal sealed class PanelConnection(
    VmHost host,
    AgentCommands commands,
    IOptions<AgentOptions> options,
    IOptions<PanelConnectionOptions> connectionOptions,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggerFactory) : BackgroundService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<PanelConnection>();
    private readonly PanelConnectionOptions _connection = connectionOptions.Value;
    private readonly RetryDelays _delays = new(connectionOptions.Value);

    // Register and report pushes take turns, so that no report older than a Register's full list follows it.
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private volatile bool _registered;
    private volatile bool _refused;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var agent = options.Value;
        if (string.IsNullOrWhiteSpace(agent.PanelUrl))
        {
            PanelConnectionLog.NoPanelUrl(_logger);
            return;
        }

        var hubUrl = new Uri(agent.PanelUrl.TrimEnd('/') + AgentProtocol.HubPath);
        if (hubUrl.Scheme == Uri.UriSchemeHttp && !hubUrl.IsLoopback)
        {
            PanelConnectionLog.Cleartext(_logger, hubUrl);
        }

        try
        {
            await host.Ready.WaitAsync(stoppingToken).ConfigureAwait(false);

            // Embedded in the panel, the hub only listens once the whole host has started.
            await Task.Delay(Timeout.Infinite, lifetime.ApplicationStarted).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        using var reports = host.SubscribeReports();
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested && !_refused)
        {
            TimeSpan wait;
            var connection = Build(hubUrl, agent.Token);
            await using (connection.ConfigureAwait(false))
            {
                try
                {
                    var wasRegistered = await RunSessionAsync(connection, hubUrl, reports.Reader, stoppingToken).ConfigureAwait(false);
                    failures = wasRegistered ? 0 : failures + 1;
                    wait = _delays.For(Math.Max(failures - 1, 0));
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex) when (ConnectFailures.IsUnauthorized(ex))
                {
                    wait = _connection.UnauthorizedRetryDelay;
                    PanelConnectionLog.Unauthorized(_logger, hubUrl, wait);
                    failures++;
                }
                catch (Exception ex)
                {
                    wait = _delays.For(failures);
                    failures++;
                    PanelConnectionLog.ConnectFailed(_logger, hubUrl, failures, wait, ConnectFailures.Describe(ex));
                }
            }

            if (_refused)
            {
                return;
            }

            try
            {
                await Task.Delay(wait, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Connects, registers and serves until the connection closes for good; true when it had been registered.</summary>
    private async Task<bool> RunSessionAsync(HubConnection connection, Uri hubUrl, ChannelReader<VmReport> reports, CancellationToken stoppingToken)
    {
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += error =>
        {
            closed.TrySetResult(error);
            return Task.CompletedTask;
        };
        connection.Reconnecting += error =>
        {
            _registered = false;
            PanelConnectionLog.Reconnecting(_logger, error?.Message ?? "the connection closed");
            return Task.CompletedTask;
        };
        connection.Reconnected += connectionId =>
        {
            // Not awaited here: the connection is not done reconnecting until this handler returns.
            _ = Task.Run(() => RegisterOrStopAsync(connection, reports, stoppingToken), CancellationToken.None);
            return Task.CompletedTask;
        };

        await connection.StartAsync(stoppingToken).ConfigureAwait(false);
        PanelConnectionLog.Connected(_logger, hubUrl);
        if (!await RegisterOrStopAsync(connection, reports, stoppingToken).ConfigureAwait(false))
        {
            return false;
        }

        using var session = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var pump = PushReportsAsync(connection, reports, session.Token);
        var progressPump = PushTaskProgressAsync(connection, session.Token);
        try
        {
            var error = await closed.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
            if (!_refused)
            {
                PanelConnectionLog.Closed(_logger, error?.Message ?? "closed by the panel");
            }

            return true;
        }
        finally
        {
            await session.CancelAsync().ConfigureAwait(false);
            try
            {
                await pump.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            try
            {
                await progressPump.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private HubConnection Build(Uri hubUrl, string? token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(hubUrl, http =>
            {
                // WebSockets only, without negotiation: one request, and no sticky sessions needed behind a load balancer.
                http.Transports = HttpTransportType.WebSockets;
                http.SkipNegotiation = true;
                http.AccessTokenProvider = () => Task.FromResult(token);
                var pin = new PanelCertificatePin(options.Value.PanelCertificateSha256);
                http.WebSocketConfiguration = socket => socket.RemoteCertificateValidationCallback = (_, certificate, _, errors) => pin.Accepts(certificate, errors);
                _connection.ConfigureHttpConnection?.Invoke(http);
            })
            .WithAutomaticReconnect(new RetryDelays(_connection, (_, delay) => PanelConnectionLog.Unauthorized(_logger, hubUrl, delay)))
            .ConfigureLogging(logging => logging.Services.AddSingleton(loggerFactory))
            .Build();

        AgentCommandHandlers.Register(connection, commands);
        return connection;
    }

    /// <summary>Registers; when the panel refuses, or registering fails, stops the connection (the caller decides whether to retry).</summary>
    private async Task<bool> RegisterOrStopAsync(HubConnection connection, ChannelReader<VmReport> reports, CancellationToken stoppingToken)
    {
        try
        {
            var welcome = await RegisterAsync(connection, reports, stoppingToken).ConfigureAwait(false);
            if (welcome.Accepted)
            {
                PanelConnectionLog.Registered(_logger, welcome.HostId, welcome.Message);
                return true;
            }

            // A protocol or identity mismatch does not fix itself: say so loudly once, and stop dialling.
            _refused = true;
            PanelConnectionLog.Refused(_logger, welcome.Message, AgentProtocol.Version);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex)
        {
            PanelConnectionLog.RegisterFailed(_logger, ConnectFailures.Describe(ex));
        }

        await connection.StopAsync(CancellationToken.None).ConfigureAwait(false);
        return false;
    }

    private async Task<AgentWelcome> RegisterAsync(HubConnection connection, ChannelReader<VmReport> reports, CancellationToken stoppingToken)
    {
        await _sendLock.WaitAsync(stoppingToken).ConfigureAwait(false);
        try
        {
            _registered = false;

            // The full list below supersedes whatever was queued while disconnected.
            while (reports.TryRead(out _))
            {
            }

            var hello = new AgentHello(AgentProtocol.Version, await host.ReadHostFactsAsync(stoppingToken).ConfigureAwait(false), host.Reports());
            var welcome = await connection.InvokeAsync<AgentWelcome>(nameof(IAgentHub.Register), hello, stoppingToken).ConfigureAwait(false);
            _registered = welcome.Accepted;
            return welcome;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task PushReportsAsync(HubConnection connection, ChannelReader<VmReport> reports, CancellationToken cancellationToken)
    {
        while (await reports.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                while (reports.TryRead(out var report))
                {
                    // While disconnected a report is dropped: the Register after the reconnect carries every VM's state.
                    if (!_registered || connection.State != HubConnectionState.Connected)
                    {
                        continue;
                    }

                    try
                    {
                        await connection.InvokeAsync(nameof(IAgentHub.ReportVmState), report, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        PanelConnectionLog.ReportFailed(_logger, report.Uuid, report.State, ex.Message);
                    }
                }
            }
            finally
            {
                _sendLock.Release();
            }
        }
    }

    /// <summary>Passes progress of long operations on; progress made while disconnected is dropped (the task's result still arrives).</summary>
    private async Task PushTaskProgressAsync(HubConnection connection, CancellationToken cancellationToken)
    {
        while (await host.TaskProgress.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (host.TaskProgress.TryRead(out var progress))
            {
                if (!_registered || connection.State != HubConnectionState.Connected)
                {
                    continue;
                }

                try
                {
                    await connection.SendAsync(nameof(IAgentHub.ReportTaskProgress), progress, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    PanelConnectionLog.ProgressFailed(_logger, progress.TaskId, ex.Message);
                }
            }
        }
    }
}
