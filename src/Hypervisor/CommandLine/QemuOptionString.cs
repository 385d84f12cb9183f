using System.Text;

namespace WebVirt.Hypervisor.CommandLine;

/// <summary>
/// Builds one QEMU option value (<c>driver=file,filename=…</c>). Keys are the builder's constants; every
/// value is escaped the way QEMU's option parser expects (a literal ',' is written ',,'), so a value can
/// never end one key and start another.
/// </summary>
internal sealed class QemuOptionString
{
    private readonly StringBuilder _text = new();

    public QemuOptionString(string? head = null)
    {
        if (head is not null)
        {
            _text.Append(Escape(head));
        }
    }

    public QemuOptionString Add(string key, string value)
    {
        if (_text.Length > 0)
        {
            _text.Append(',');
        }

        _text.Append(key).Append('=').Append(Escape(value));
        return this;
    }

    public QemuOptionString Add(string key, long value) => Add(key, value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public QemuOptionString Add(string key, bool value) => Add(key, value ? "on" : "off");

    public QemuOptionString AddIf(bool condition, string key, string value) => condition ? Add(key, value) : this;

    public override string ToString() => _text.ToString();

    public static string Escape(string value) => value.Replace(",", ",,", StringComparison.Ordinal);
}
