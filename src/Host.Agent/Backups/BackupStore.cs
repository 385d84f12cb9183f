using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using WebVirt.Shared.Backups;
using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Backups;

/// <summary>
/// Where backups live and how one is laid out: <c>{root}/{vm uuid}/{id}/</c> holding one qcow2 per disk
/// (<c>{disk id}.qcow2</c>: compressed, or LUKS-encrypted with the disk's key and uncompressed for an encrypted disk), <c>definition.json</c>, and <c>SHA256SUMS</c> in sha256sum's format (so
/// <c>sha256sum -c</c> checks it by hand too). A backup is written under a hidden name and renamed when whole.
/// The one place that knows the folder: storage pools can point it at a pool with content "backups".
/// </summary>
internal sealed partial class BackupStore(string root)
{
    public const string DefinitionFile = "definition.json";
    public const string ChecksumFile = "SHA256SUMS";
    private const string IdFormat = "yyyyMMdd'T'HHmmssfff'Z'";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Root { get; } = Path.GetFullPath(root);

    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    public static string NewId(DateTimeOffset now) => now.UtcDateTime.ToString(IdFormat, CultureInfo.InvariantCulture);

    public string FolderOf(Guid vm, string id) => Path.Combine(Root, vm.ToString("D"), id);

    /// <summary>A fresh hidden folder to write a backup into; <see cref="Commit"/> makes it visible.</summary>
    public string CreatePartial(Guid vm, string id)
    {
        var folder = Path.Combine(Root, vm.ToString("D"), $".{id}.partial");
        Directory.CreateDirectory(folder);
        return folder;
    }

    public static string DiskFile(string diskId) => diskId + ".qcow2";

    /// <summary>Writes the definition and the checksums of every file in the partial folder, then renames it into place.</summary>
    public async Task<BackupInfo> CommitAsync(string partial, Guid vm, string id, VmDefinition definition, CancellationToken cancellationToken)
    {
        await File.WriteAllBytesAsync(Path.Combine(partial, DefinitionFile), JsonSerializer.SerializeToUtf8Bytes(definition, Json), cancellationToken).ConfigureAwait(false);
        var sums = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(partial).Order(StringComparer.Ordinal))
        {
            sums.Append(CultureInfo.InvariantCulture, $"{await HashAsync(file, cancellationToken).ConfigureAwait(false)}  {Path.GetFileName(file)}\n");
        }

        await File.WriteAllTextAsync(Path.Combine(partial, ChecksumFile), sums.ToString(), cancellationToken).ConfigureAwait(false);
        var folder = FolderOf(vm, id);
        Directory.Move(partial, folder);
        return Read(vm, id)!;
    }

    /// <summary>The VM's backups, newest first; folders that are not whole backups are skipped.</summary>
    public IReadOnlyList<BackupInfo> List(Guid vm)
    {
        var folder = Path.Combine(Root, vm.ToString("D"));
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return [.. Directory.EnumerateDirectories(folder)
            .Select(Path.GetFileName)
            .Where(IsValidId)
            .OrderDescending(StringComparer.Ordinal)
            .Select(id => Read(vm, id!))
            .OfType<BackupInfo>()];
    }

    public BackupInfo? Read(Guid vm, string id)
    {
        if (!IsValidId(id))
        {
            return null;
        }

        var folder = FolderOf(vm, id);
        try
        {
            var definition = JsonSerializer.Deserialize<VmDefinition>(File.ReadAllBytes(Path.Combine(folder, DefinitionFile)), Json);
            if (definition is null)
            {
                return null;
            }

            return new BackupInfo
            {
                Id = id,
                VmUuid = vm,
                CreatedAt = DateTimeOffset.ParseExact(id, IdFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                SizeBytes = Directory.EnumerateFiles(folder).Sum(f => new FileInfo(f).Length),
                Definition = definition,
                Checksums = ReadChecksums(folder),
                Encrypted = definition.Disks.Any(d => d.Encrypted),
            };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Null when every file matches its recorded SHA-256 and every disk of the definition is there, else what is wrong.</summary>
    public async Task<string?> VerifyChecksumsAsync(BackupInfo backup, CancellationToken cancellationToken)
    {
        var folder = FolderOf(backup.VmUuid, backup.Id);
        if (!backup.Checksums.ContainsKey(DefinitionFile))
        {
            return $"{ChecksumFile} lists no {DefinitionFile}.";
        }

        foreach (var disk in backup.Definition.Disks)
        {
            if (!backup.Checksums.ContainsKey(DiskFile(disk.Id)))
            {
                return $"{ChecksumFile} lists no {DiskFile(disk.Id)} for disk '{disk.Id}'.";
            }
        }

        foreach (var (name, expected) in backup.Checksums)
        {
            var file = Path.Combine(folder, name);
            if (!File.Exists(file))
            {
                return $"{name} is missing.";
            }

            if (!string.Equals(await HashAsync(file, cancellationToken).ConfigureAwait(false), expected, StringComparison.OrdinalIgnoreCase))
            {
                return $"{name} does not match its SHA-256 checksum: the backup is damaged.";
            }
        }

        return null;
    }

    public void Delete(Guid vm, string id) => Directory.Delete(FolderOf(vm, id), recursive: true);

    public static void DeletePartial(string partial)
    {
        if (Directory.Exists(partial))
        {
            Directory.Delete(partial, recursive: true);
        }
    }

    /// <summary>
    /// Deletes the hidden folders of backups that never finished (the agent was stopped or killed mid-copy: nothing else
    /// would ever remove them); returns their paths. Only <c>{vm uuid}/.{id}.partial</c> folders themselves, never a link.
    /// </summary>
    public IReadOnlyList<string> DeleteAbandonedPartials()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        var deleted = new List<string>();
        foreach (var vmFolder in new DirectoryInfo(Root).EnumerateDirectories())
        {
            if (vmFolder.LinkTarget is not null || !Guid.TryParseExact(vmFolder.Name, "D", out _))
            {
                continue;
            }

            foreach (var partial in vmFolder.EnumerateDirectories(".*.partial"))
            {
                if (partial.LinkTarget is null && PartialName().IsMatch(partial.Name))
                {
                    partial.Delete(recursive: true);
                    deleted.Add(partial.FullName);
                }
            }
        }

        return deleted;
    }

    private static Dictionary<string, string> ReadChecksums(string folder)
    {
        var sums = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(Path.Combine(folder, ChecksumFile)))
        {
            var match = SumLine().Match(line);
            if (!match.Success)
            {
                throw new FormatException($"Malformed line in {ChecksumFile}: '{line}'.");
            }

            sums[match.Groups[2].Value] = match.Groups[1].Value;
        }

        return sums;
    }

    private static async Task<string> HashAsync(string file, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan | FileOptions.Asynchronous);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }

    [GeneratedRegex(@"^\d{8}T\d{9}Z\z")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^\.\d{8}T\d{9}Z\.partial\z")]
    private static partial Regex PartialName();

    // A file name of the backup: no path separators, no leading dot.
    [GeneratedRegex(@"^([0-9a-f]{64})  ([A-Za-z0-9_][A-Za-z0-9._-]*)\z")]
    private static partial Regex SumLine();
}
