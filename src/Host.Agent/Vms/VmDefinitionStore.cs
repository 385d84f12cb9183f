using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using WebVirt.Hypervisor.Processes;
using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Vms;

/// <summary>
/// The agent's own copy of each VM's definition, one JSON file in each VM's data folder, so that the host
/// can autostart and run its VMs without the panel.
/// </summary>
internal sealed class VmDefinitionStore(VmSupervisor supervisor, ILogger logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public IReadOnlyList<VmDefinition> LoadAll()
    {
        if (!Directory.Exists(supervisor.DataRoot))
        {
            return [];
        }

        var definitions = new List<VmDefinition>();
        foreach (var folder in Directory.EnumerateDirectories(supervisor.DataRoot))
        {
            if (!Guid.TryParse(Path.GetFileName(folder), out var uuid))
            {
                continue;
            }

            var file = supervisor.PathsFor(uuid).DefinitionFile;
            if (!File.Exists(file))
            {
                continue;
            }

            try
            {
                var definition = JsonSerializer.Deserialize<VmDefinition>(File.ReadAllBytes(file), Json);
                if (definition?.Uuid != uuid)
                {
                    VmHostLog.DefinitionMismatch(logger, file, definition?.Uuid);
                    continue;
                }

                definitions.Add(definition);
            }
            catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
            {
                VmHostLog.DefinitionUnreadable(logger, file, ex);
            }
        }

        return definitions;
    }

    /// <summary>Writes the definition to a temporary file and renames it over the old one, so a crash leaves either version whole.</summary>
    public void Save(VmDefinition definition)
    {
        var paths = supervisor.PathsFor(definition.Uuid);
        Directory.CreateDirectory(paths.DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var temporary = $"{paths.DefinitionFile}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, definition, Json);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, paths.DefinitionFile, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Deletes the VM's data folder: definition, logs, firmware variables.</summary>
    public void Delete(Guid uuid)
    {
        var paths = supervisor.PathsFor(uuid);
        if (Directory.Exists(paths.DataDirectory))
        {
            Directory.Delete(paths.DataDirectory, recursive: true);
        }
    }
}
