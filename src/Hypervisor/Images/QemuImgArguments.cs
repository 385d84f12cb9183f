using System.Globalization;
using WebVirt.Hypervisor.CommandLine;
using WebVirt.Shared.Vms;

namespace WebVirt.Hypervisor.Images;

/// <summary>
/// The argv of each qemu-img operation. Every image is opened with an explicit format, so qemu never
/// guesses one from the contents, except in <see cref="ProbeInfo"/>, whose job is to guess.
/// </summary>
internal static class QemuImgArguments
{
    /// <summary>The QOM id the encryption secret object gets; it is what <c>encrypt.key-secret</c> names.</summary>
    public const string SecretId = "sec0";

    public static IReadOnlyList<string> Create(string path, DiskFormat format, long sizeBytes) =>
        ["create", "-q", "-f", format.ToQemuName(), path, Bytes(sizeBytes)];

    public static IReadOnlyList<string> CreateLinkedClone(string path, string backingPath, DiskFormat backingFormat) =>
        // -b and -F are stored as given, not parsed as an option string; the size comes from the backing image.
        ["create", "-q", "-f", "qcow2", "-b", backingPath, "-F", backingFormat.ToQemuName(), path];

    public static IReadOnlyList<string> CreateEncrypted(string path, long sizeBytes, string secretFile) =>
    [
        "create", "-q", "-f", "qcow2",
        "--object", Secret(secretFile),
        "-o", EncryptTarget(),
        path, Bytes(sizeBytes),
    ];

    /// <summary>A linked clone of an encrypted template, itself encrypted with the template's key (the backing is opened without I/O, so unlocked by nothing).</summary>
    public static IReadOnlyList<string> CreateEncryptedLinkedClone(string path, string backingPath, string secretFile) =>
    [
        "create", "-q", "-f", "qcow2", "-b", backingPath, "-F", "qcow2",
        "--object", Secret(secretFile),
        "-o", EncryptTarget(),
        path,
    ];

    public static IReadOnlyList<string> Info(string path, DiskFormat? format, bool forceShare)
    {
        List<string> arguments = ["info", "--output=json"];
        if (format is { } known)
        {
            arguments.AddRange(["-f", known.ToQemuName()]);
        }

        if (forceShare)
        {
            arguments.Add("-U");
        }

        arguments.Add(path);
        return arguments;
    }

    /// <summary>
    /// Lets qemu probe the format. Without --backing-chain qemu-img info opens the image with no backing
    /// file, so a backing file the image names is reported, not opened.
    /// </summary>
    public static IReadOnlyList<string> ProbeInfo(string path) => ["info", "--output=json", path];

    public static IReadOnlyList<string> Resize(string path, DiskFormat format, long newSizeBytes) =>
        // Never --shrink: growing is the only resize offered.
        ["resize", "-q", "-f", format.ToQemuName(), path, Bytes(newSizeBytes)];

    /// <summary>Grows a LUKS qcow2: --image-opts names the format and the key secret, which qemu reads from a file.</summary>
    public static IReadOnlyList<string> ResizeEncrypted(string path, long newSizeBytes, string secretFile) =>
    [
        "resize", "-q", "--object", Secret(secretFile),
        "--image-opts", EncryptedImageOptions.ForFile(path, SecretId).ToString(),
        Bytes(newSizeBytes),
    ];

    /// <summary>
    /// A compressed qcow2 copy of a qcow2 image; with a backing file the copy is an overlay on the same file
    /// (-B/-F, only clusters that differ from it are written) instead of a flattened image.
    /// </summary>
    public static IReadOnlyList<string> Compress(string source, string destination, string? backingFile, DiskFormat? backingFormat)
    {
        List<string> arguments = ["convert", "-p", "-c", "-f", "qcow2", "-O", "qcow2"];
        if (backingFile is not null)
        {
            arguments.AddRange(["-B", backingFile, "-F", (backingFormat ?? DiskFormat.Qcow2).ToQemuName()]);
        }

        arguments.AddRange([source, destination]);
        return arguments;
    }

    public static IReadOnlyList<string> Convert(
        string source, DiskFormat sourceFormat, string destination, DiskFormat destinationFormat, bool compress)
    {
        List<string> arguments = ["convert", "-p"];
        if (compress)
        {
            arguments.Add("-c");
        }

        arguments.AddRange(["-f", sourceFormat.ToQemuName(), "-O", destinationFormat.ToQemuName(), source, destination]);
        return arguments;
    }

    /// <summary>
    /// Copies an encrypted qcow2 (flattening its encrypted backing chain) into a new qcow2 encrypted with the same key.
    /// Never compressed: qcow2 refuses compression together with encryption ("Compression and encryption not
    /// supported at the same time"), so the copy is sparse instead.
    /// </summary>
    public static IReadOnlyList<string> ConvertEncrypted(string source, string destination, string secretFile) =>
    [
        "convert", "-p",
        "--object", Secret(secretFile),
        "--image-opts", EncryptedImageOptions.ForFile(source, SecretId).ToString(),
        "-O", "qcow2", "-o", EncryptTarget(),
        destination,
    ];

    /// <summary>
    /// qemu-img snapshot has no -f: --image-opts names the format instead of letting qemu probe. The tag is a
    /// positional value after its flag, so qemu never parses it as an option.
    /// </summary>
    public static IReadOnlyList<string> Snapshot(string path, ImageSnapshotAction action, string tag) =>
    [
        "snapshot", "-q", "--image-opts", SnapshotFlag(action), tag,
        new QemuOptionString().Add("driver", "qcow2").Add("file.driver", "file").Add("file.filename", path).ToString(),
    ];

    public static IReadOnlyList<string> Check(string path, DiskFormat format) =>
        ["check", "--output=json", "-f", format.ToQemuName(), path];

    /// <summary>qemu opens an encrypted image only with its key, even to check metadata.</summary>
    public static IReadOnlyList<string> CheckEncrypted(string path, string secretFile) =>
        ["check", "--output=json", "--object", Secret(secretFile), "--image-opts", EncryptedImageOptions.ForFile(path, SecretId).ToString()];

    public static IReadOnlyList<string> SnapshotEncrypted(string path, ImageSnapshotAction action, string tag, string secretFile) =>
    [
        "snapshot", "-q", "--object", Secret(secretFile), "--image-opts", SnapshotFlag(action), tag,
        EncryptedImageOptions.ForFile(path, SecretId).ToString(),
    ];

    // file= makes qemu read the passphrase itself, so it never appears in argv (visible in /proc to every user).
    private static string Secret(string secretFile) => new QemuOptionString("secret").Add("id", SecretId).Add("file", secretFile).ToString();

    // The keys are 256 random bits made by the panel, never a person's passphrase, so LUKS's key stretching buys
    // nothing: qemu's default (2 s of PBKDF2) made every later open of the image (each VM start, snapshot, backup,
    // resize) cost 2.4 s of CPU; 10 ms costs 0.01 s (measured with qemu-img check here).
    // SHA-512: qemu 7.2 calibrates PBKDF2 with a first round of 2^15 iterations timed by the thread's user CPU time,
    // and fails ("Unable to get accurate CPU usage") when that reads 0 ms. With tick-based CPU accounting (HZ=250,
    // as on these machines) a SHA-256 round, ~5 ms with the CPU's SHA instructions, often gets no user tick: 10 of 15
    // creates failed here on a busy machine, 1 of 6 on a quiet one. A SHA-512 round takes several ticks: 0 of 21.
    private static string EncryptTarget() => new QemuOptionString()
        .Add("encrypt.format", "luks").Add("encrypt.key-secret", SecretId).Add("encrypt.iter-time", "10").Add("encrypt.hash-alg", "sha512").ToString();

    private static string SnapshotFlag(ImageSnapshotAction action) => action switch
    {
        ImageSnapshotAction.Create => "-c",
        ImageSnapshotAction.Apply => "-a",
        _ => "-d",
    };

    private static string Bytes(long value) => value.ToString(CultureInfo.InvariantCulture);
}
