namespace WebVirt.Host.Agent.Vms;

/// <summary>
/// A disk key in a 0600 file inside a fresh 0700 temporary folder, for qemu-img to read (qemu reads a secret
/// from a file so the key is on no command line); disposing deletes the folder and the key with it.
/// </summary>
internal sealed class DiskKeyFile : IDisposable
{
    private readonly DirectoryInfo _folder;

    private DiskKeyFile(DirectoryInfo folder, string path)
    {
        _folder = folder;
        Path = path;
    }

    public string Path { get; }

    public static DiskKeyFile Write(string key)
    {
        // CreateTempSubdirectory makes the folder 0700; the file is created 0600, never wider even for an instant.
        var folder = Directory.CreateTempSubdirectory("webvirt-key-");
        try
        {
            var path = System.IO.Path.Combine(folder.FullName, "key");
            using (var stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }))
            {
                stream.Write(System.Text.Encoding.UTF8.GetBytes(key));
            }

            return new DiskKeyFile(folder, path);
        }
        catch
        {
            folder.Delete(recursive: true);
            throw;
        }
    }

    public void Dispose()
    {
        if (_folder.Exists)
        {
            _folder.Delete(recursive: true);
        }
    }
}
