namespace WebVirt.Web.Agents;

/// <summary>
/// The shell lines that install and start a standalone agent for a new host (as the README's "Adding a host"
/// describes), to copy from the Hosts page. The token is one the panel generated (URL-safe characters only);
/// the panel URL is <c>Panel:PublicUrl</c>, or else the browser's own address.
/// </summary>
internal static class AgentInstallCommand
{
    /// <summary>The URL a new host's agent dials: the configured public URL, or else the address the browser used.</summary>
    public static string PanelUrl(string? publicUrl, string browserUrl) => string.IsNullOrWhiteSpace(publicUrl) ? browserUrl : publicUrl.Trim();

    /// <summary>Whether no other machine can reach <paramref name="panelUrl"/> (a loopback address or localhost).</summary>
    public static bool IsLoopback(string panelUrl) =>
        Uri.TryCreate(panelUrl, UriKind.Absolute, out var url) && (url.IsLoopback || string.Equals(url.Host, "localhost", StringComparison.OrdinalIgnoreCase));

    /// <param name="pinnedCertificateSha256">The panel's self-signed certificate's fingerprint, which the agent must pin; null when the system trusts it.</param>
    public static string For(string panelUrl, string token, string? pinnedCertificateSha256 = null) => $"""
        # On the new host, as root: Debian 12 with qemu-system-x86, qemu-utils and the .NET 10 runtime.
        # 1. Copy the agent, built on a machine with the source:  dotnet publish src/Host.Agent -c Release -o /opt/webvirt/agent
        # 2. Its token (shown only now; the unit hands it to the agent as a systemd credential) and settings:
        install -d -m 0755 /etc/webvirt
        install -m 0600 /dev/null /etc/webvirt/agent-token
        echo '{token}' > /etc/webvirt/agent-token
        install -m 0600 /dev/null /etc/webvirt/agent.env
        cat > /etc/webvirt/agent.env <<'ENV'
        Agent__PanelUrl={panelUrl.TrimEnd('/')}{(pinnedCertificateSha256 is null || !panelUrl.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ? "" : $"\nAgent__PanelCertificateSha256={pinnedCertificateSha256}")}
        Agent__ImageDirectory=images
        Hypervisor__DataDirectory=vms
        ENV
        # 3. The service (the unit is src/Host.Agent/deploy/webvirt-agent.service):
        install -m 0644 webvirt-agent.service /etc/systemd/system/webvirt-agent.service
        systemctl daemon-reload && systemctl enable --now webvirt-agent
        """;
}
