namespace WebVirt.Web.Hosting;

/// <summary>The PEM files of the panel's HTTPS certificate (<c>Panel:Tls</c>); see <see cref="PanelCertificate"/>.</summary>
public sealed class PanelTlsOptions
{
    /// <summary>Null: <c>tls/panel.crt</c> in the data folder, made self-signed at the first start when missing.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Null: <c>tls/panel.key</c> in the data folder (0600).</summary>
    public string? KeyPath { get; set; }
}
