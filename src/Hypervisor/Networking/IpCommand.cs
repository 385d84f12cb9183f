using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace WebVirt.Hypervisor.Networking;

/// <summary>
/// Runs iproute2's <c>ip</c> and <c>bridge</c> for the host's network plumbing. The agent's instance works in the
/// host's network namespace; tests bind one to a namespace of their own (<c>ip -n NS …</c>, <c>bridge -n NS …</c>)
/// so that nothing they do reaches the machine's network. Callers pass only arguments that went through
/// <see cref="NetworkArguments"/>.
/// </summary>
public sealed class IpCommand
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly ILogger logger;
    private readonly string ipProgram;
    private readonly string bridgeProgram;
    private readonly TimeSpan timeout;
    private readonly Counter invocations;

    public IpCommand(ILogger<IpCommand> logger)
        : this(null, logger)
    {
    }

    /// <param name="networkNamespace">The namespace every command runs in; null for the host's own.</param>
    internal IpCommand(string? networkNamespace, ILogger logger, string ipProgram = "ip", string bridgeProgram = "bridge", TimeSpan? timeout = null)
        : this(networkNamespace, logger, ipProgram, bridgeProgram, timeout ?? DefaultTimeout, new Counter())
    {
    }

    private IpCommand(string? networkNamespace, ILogger logger, string ipProgram, string bridgeProgram, TimeSpan timeout, Counter invocations)
    {
        if (networkNamespace is not null)
        {
            NetworkNamespaceName.Require(networkNamespace);
        }

        NetworkNamespace = networkNamespace;
        this.logger = logger;
        this.ipProgram = ipProgram;
        this.bridgeProgram = bridgeProgram;
        this.timeout = timeout;
        this.invocations = invocations;
    }

    /// <summary>The namespace commands run in; null for the host's own.</summary>
    public string? NetworkNamespace { get; }

    /// <summary>How many processes this runner and those made from it have started: tests prove refusals ran nothing.</summary>
    internal int Invocations => Volatile.Read(ref invocations.Count);

    internal ILogger Logger => logger;

    /// <summary>A runner like this one (same programs, logger and count) bound to <paramref name="networkNamespace"/>.</summary>
    internal IpCommand InNamespace(string networkNamespace) =>
        new(networkNamespace, logger, ipProgram, bridgeProgram, timeout, invocations);

    /// <summary>Runs the tool and throws <see cref="NetworkCommandException"/> unless it exits 0.</summary>
    internal async Task<IpResult> RunAsync(string purpose, IpTool tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await TryRunAsync(purpose, tool, arguments, cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? result : throw Fail(purpose, tool, arguments, result);
    }

    /// <summary>Runs the tool and returns however it ended (a missing device is an answer, not a failure).</summary>
    internal Task<IpResult> TryRunAsync(string purpose, IpTool tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        List<string> argv = NetworkNamespace is null ? [.. arguments] : ["-n", NetworkNamespace, .. arguments];
        return StartAsync(purpose, tool, argv, cancellationToken);
    }

    /// <summary>Runs <c>ip netns …</c> in the host's namespace (namespaces are named host-wide, whatever this runner is bound to).</summary>
    internal Task<IpResult> TryRunNamespaceCommandAsync(string purpose, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        StartAsync(purpose, IpTool.Ip, ["netns", .. arguments], cancellationToken);

    /// <summary>As <see cref="TryRunNamespaceCommandAsync"/>, throwing <see cref="NetworkCommandException"/> unless it exits 0.</summary>
    internal async Task RunNamespaceCommandAsync(string purpose, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await TryRunNamespaceCommandAsync(purpose, arguments, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            var exception = new NetworkCommandException(Capitalised(purpose), string.Join(' ', [ipProgram, "netns", .. arguments]), result.ExitCode, result.Error);
            NetworkLog.Failed(logger, purpose, exception.Message);
            throw exception;
        }
    }

    internal NetworkCommandException Fail(string purpose, IpTool tool, IReadOnlyList<string> arguments, IpResult result)
    {
        var exception = new NetworkCommandException(Capitalised(purpose), CommandLine(tool, arguments), result.ExitCode, result.Error);
        NetworkLog.Failed(logger, purpose, exception.Message);
        return exception;
    }

    private static string Capitalised(string purpose) => char.ToUpperInvariant(purpose[0]) + purpose[1..];

    private string CommandLine(IpTool tool, IReadOnlyList<string> arguments) =>
        string.Join(' ', [Program(tool), .. NetworkNamespace is null ? [] : new[] { "-n", NetworkNamespace }, .. arguments]);

    private string Program(IpTool tool) => tool == IpTool.Bridge ? bridgeProgram : ipProgram;

    private async Task<IpResult> StartAsync(string purpose, IpTool tool, List<string> argv, CancellationToken cancellationToken)
    {
        var program = Program(tool);
        NetworkLog.Running(logger, program, argv, purpose);
        Interlocked.Increment(ref invocations.Count);
        var started = Stopwatch.GetTimestamp();
        var result = await IpProcess.RunAsync(purpose, program, argv, timeout, cancellationToken).ConfigureAwait(false);
        NetworkLog.Exited(logger, program, result.ExitCode, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, purpose);
        return result;
    }

    private sealed class Counter
    {
        public int Count;
    }
}
