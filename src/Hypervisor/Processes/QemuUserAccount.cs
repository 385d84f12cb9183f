namespace WebVirt.Hypervisor.Processes;

/// <summary>The unprivileged account QEMU is dropped to, looked up in /etc/passwd and /etc/group.</summary>
public sealed record QemuUserAccount(string Name, int Uid, int Gid, IReadOnlyList<int> SupplementaryGroups)
{
    public static QemuUserAccount? Find(string name, string passwdPath = "/etc/passwd", string groupPath = "/etc/group")
    {
        var entry = File.ReadLines(passwdPath)
            .Select(line => line.Split(':'))
            .FirstOrDefault(fields => fields.Length >= 4 && fields[0] == name);
        if (entry is null)
        {
            return null;
        }

        // /dev/kvm is group 'kvm' on Debian; QEMU keeps that one group so it can open it.
        var groups = File.Exists(groupPath)
            ? File.ReadLines(groupPath)
                .Select(line => line.Split(':'))
                .Where(fields => fields.Length >= 4 && fields[3].Split(',').Contains(name))
                .Select(fields => int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture))
                .ToList()
            : [];

        return new QemuUserAccount(name, int.Parse(entry[2], System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(entry[3], System.Globalization.CultureInfo.InvariantCulture), groups);
    }
}
