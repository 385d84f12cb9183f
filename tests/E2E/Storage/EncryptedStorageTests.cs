using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using WebVirt.Hypervisor.Images;
using WebVirt.Shared.Vms;
using WebVirt.TestSupport;

namespace WebVirt.E2E.Tests.Storage;

/// <summary>
/// Backups, snapshots and clones of a VM with a LUKS-encrypted disk, through the panel's API with the panel and the agent as
/// real processes, real qemu-img and the test guest booting in real QEMU: what the disk protects stays encrypted in every copy,
/// and its key shows up in no file, log or command line.
/// </summary>
[Collection(RealProcessesCollection.Name)]
public sealed class EncryptedStorageTests : IAsyncLifetime
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan Guest = TimeSpan.FromSeconds(90);
    private readonly TestCluster _cluster = new();
    private readonly TempFolder _scratch = new("wvenc");
    private Guid _hostId;

    public async Task InitializeAsync()
    {
        await _cluster.StartPanelAsync();
        _hostId = await _cluster.AddHostAsync("node1");
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _scratch.Dispose();
    }

    [Fact]
    public async Task EncryptedVm_BackupsStayEncrypted_Verify_RestoreAsNewVmBoots_RestoreOverKeepsData_KeyLeaksNowhere()
    {
        var marker = $"canary{Guid.NewGuid():N}"[..22];
        var vmId = await CreateEncryptedVmAsync("vault");
        await StartAsync(vmId);
        await using (var serial = await SerialAsync(vmId))
        {
            await serial.WaitForAsync(TestGuest.ReadyLine, Boot);
            await serial.SendLineAsync($"webvirt-disk-write {marker}");
            await serial.WaitForAsync($"WEBVIRT-DISK-WRITTEN {marker}", Guest);
        }

        // One backup while the VM runs (QEMU's backup job into an encrypted node), one while it is stopped (qemu-img).
        var running = await BackUpAsync(vmId);
        await PostOkAsync($"/api/v1/vms/{vmId}/stop");
        await _cluster.WaitForVmStateAsync(vmId, "Stopped");
        var stopped = await BackUpAsync(vmId);

        var key = await DiskKeyAsync(vmId);
        var list = JsonDocument.Parse(await _cluster.Api.GetStringAsync($"/api/v1/vms/{vmId}/backups")).RootElement.GetProperty("backups");
        Assert.Equal(2, list.GetArrayLength());
        foreach (var backup in list.EnumerateArray())
        {
            Assert.True(backup.GetProperty("encrypted").GetBoolean(), backup.ToString());
            Assert.True(backup.GetProperty("definition").GetProperty("disks")[0].GetProperty("encrypted").GetBoolean());
        }

        foreach (var backupId in new[] { running, stopped })
        {
            var image = BackupImage(vmId, backupId);
            Assert.True((await new QemuImg().InfoAsync(image, DiskFormat.Qcow2)).Encrypted, $"backup {backupId} is not encrypted");
            Assert.False(Contains(File.ReadAllBytes(image), marker), $"backup {backupId} holds the guest's marker in clear text");
            Assert.True(await DecryptedContainsAsync(image, key, marker), $"backup {backupId}, decrypted with the disk's key, lacks the marker: the no-clear-text check above proves nothing");
            await PostOkAsync($"/api/v1/vms/{vmId}/backups/{backupId}/verify");
        }

        // Restore over the original: the disk stays encrypted with its key and holds the marker.
        await PostOkAsync($"/api/v1/vms/{vmId}/backups/{stopped}/restore", new { });
        var diskPath = (await _cluster.GetVmAsync(vmId)).GetProperty("definition").GetProperty("disks")[0].GetProperty("path").GetString()!;
        Assert.True((await new QemuImg().InfoAsync(diskPath, DiskFormat.Qcow2)).Encrypted);
        Assert.True(await DecryptedContainsAsync(diskPath, key, marker));

        // Restore as a new VM: the panel gives its disk the key, it boots and reads the marker.
        var restoredId = JsonDocument.Parse(await PostOkAsync($"/api/v1/vms/{vmId}/backups/{running}/restore", new { newName = "vault-restored" }))
            .RootElement.GetProperty("vmId").GetGuid();
        var restoredDisk = (await _cluster.GetVmAsync(restoredId)).GetProperty("definition").GetProperty("disks")[0];
        Assert.True(restoredDisk.GetProperty("encrypted").GetBoolean());
        Assert.True((await new QemuImg().InfoAsync(restoredDisk.GetProperty("path").GetString()!, DiskFormat.Qcow2)).Encrypted);
        await StartAsync(restoredId);
        await using (var serial = await SerialAsync(restoredId))
        {
            await serial.WaitForAsync(TestGuest.ReadyLine, Boot);
            await serial.SendLineAsync("webvirt-disk-read");
            await serial.WaitForAsync($"WEBVIRT-DISK-MARKER {marker}", Guest);
        }

        AssertKeyLeaksNowhere(key);
    }

    [Fact]
    public async Task EncryptedVm_RamSnapshotRefusedWithoutHarm_LiveDiskSnapshotRevertBringsBackTheDisk_OfflineSnapshotsWork()
    {
        var vmId = await CreateEncryptedVmAsync("sealed-snap");
        await StartAsync(vmId);
        var before = $"before{Guid.NewGuid():N}"[..20];
        var after = $"after{Guid.NewGuid():N}"[..20];
        await using (var serial = await SerialAsync(vmId))
        {
            await serial.WaitForAsync(TestGuest.ReadyLine, Boot);
            await serial.SendLineAsync($"webvirt-disk-write {before}");
            await serial.WaitForAsync($"WEBVIRT-DISK-WRITTEN {before}", Guest);

            // QEMU 7.2 aborts when it writes RAM into an encrypted qcow2: the panel refuses before the VM can die.
            using (var withRam = await _cluster.Api.PostAsJsonAsync($"/api/v1/vms/{vmId}/snapshots", new { name = "with-ram", withMemory = true }))
            {
                var problem = await withRam.Content.ReadAsStringAsync();
                Assert.True(withRam.StatusCode == HttpStatusCode.BadRequest, problem);
                Assert.Contains("encrypted", problem, StringComparison.Ordinal);
            }

            Assert.Equal("Running", (await _cluster.GetVmAsync(vmId)).GetProperty("state").GetString());
            await PostOkAsync($"/api/v1/vms/{vmId}/snapshots", new { name = "live", withMemory = false });
            await serial.SendLineAsync($"webvirt-disk-write {after}");
            await serial.WaitForAsync($"WEBVIRT-DISK-WRITTEN {after}", Guest);
        }

        // A stopped VM's snapshots go through qemu-img, which needs the key as well.
        await PostOkAsync($"/api/v1/vms/{vmId}/stop");
        await _cluster.WaitForVmStateAsync(vmId, "Stopped");
        await PostOkAsync($"/api/v1/vms/{vmId}/snapshots/live/revert");
        await PostOkAsync($"/api/v1/vms/{vmId}/snapshots", new { name = "offline", withMemory = false });
        using (var delete = await _cluster.Api.DeleteAsync($"/api/v1/vms/{vmId}/snapshots/offline"))
        {
            Assert.True(delete.IsSuccessStatusCode, await delete.Content.ReadAsStringAsync());
        }

        var diskPath = (await _cluster.GetVmAsync(vmId)).GetProperty("definition").GetProperty("disks")[0].GetProperty("path").GetString()!;
        Assert.Equal(new[] { "live" }, (await new QemuImg().InfoAsync(diskPath, DiskFormat.Qcow2)).Snapshots.Select(s => s.Name));
        Assert.False(Contains(File.ReadAllBytes(diskPath), before), "the disk image holds the marker in clear text");

        await StartAsync(vmId);
        await using (var serial = await SerialAsync(vmId))
        {
            await serial.WaitForAsync(TestGuest.ReadyLine, Boot);
            await serial.SendLineAsync("webvirt-disk-read");
            var read = await serial.WaitForAsync(@"WEBVIRT-DISK-MARKER (\S+)\r?\n", Guest);
            Assert.Equal(before, read.Groups[1].Value);
        }

        AssertKeyLeaksNowhere(await DiskKeyAsync(vmId));
    }

    [Fact]
    public async Task EncryptedTemplate_LinkedCloneBootsAndWritesEncrypted_FullCloneStaysEncrypted()
    {
        var marker = $"template{Guid.NewGuid():N}"[..22];
        var templateId = await CreateEncryptedVmAsync("sealed-template");
        await StartAsync(templateId);
        await using (var serial = await SerialAsync(templateId))
        {
            await serial.WaitForAsync(TestGuest.ReadyLine, Boot);
            await serial.SendLineAsync($"webvirt-disk-write {marker}");
            await serial.WaitForAsync($"WEBVIRT-DISK-WRITTEN {marker}", Guest);
        }

        await PostOkAsync($"/api/v1/vms/{templateId}/stop");
        await _cluster.WaitForVmStateAsync(templateId, "Stopped");
        await PostOkAsync($"/api/v1/vms/{templateId}/template");
        var key = await DiskKeyAsync(templateId);

        var fullId = JsonDocument.Parse(await PostOkAsync($"/api/v1/vms/{templateId}/clone", new { name = "sealed-full", linked = false }))
            .RootElement.GetProperty("vmId").GetGuid();
        var fullDisk = (await _cluster.GetVmAsync(fullId)).GetProperty("definition").GetProperty("disks")[0].GetProperty("path").GetString()!;
        Assert.True((await new QemuImg().InfoAsync(fullDisk, DiskFormat.Qcow2)).Encrypted);
        Assert.Equal(key, await DiskKeyAsync(fullId));
        Assert.True(await DecryptedContainsAsync(fullDisk, key, marker));

        var linkedId = JsonDocument.Parse(await PostOkAsync($"/api/v1/vms/{templateId}/clone", new { name = "sealed-linked", linked = true }))
            .RootElement.GetProperty("vmId").GetGuid();
        var linkedDisk = (await _cluster.GetVmAsync(linkedId)).GetProperty("definition").GetProperty("disks")[0].GetProperty("path").GetString()!;
        var overlay = await new QemuImg().InfoAsync(linkedDisk, DiskFormat.Qcow2);
        Assert.True(overlay.Encrypted, "the linked clone's overlay is not encrypted: what the clone writes would be in clear text");
        Assert.NotNull(BackingFileReader.Read(linkedDisk));

        var written = $"clone{Guid.NewGuid():N}"[..20];
        await StartAsync(linkedId);
        await using (var serial = await SerialAsync(linkedId))
        {
            await serial.WaitForAsync(TestGuest.ReadyLine, Boot);
            await serial.SendLineAsync("webvirt-disk-read");
            await serial.WaitForAsync($"WEBVIRT-DISK-MARKER {marker}", Guest);
            await serial.SendLineAsync($"webvirt-disk-write {written}");
            await serial.WaitForAsync($"WEBVIRT-DISK-WRITTEN {written}", Guest);
        }

        await PostOkAsync($"/api/v1/vms/{linkedId}/stop");
        await _cluster.WaitForVmStateAsync(linkedId, "Stopped");
        Assert.False(Contains(File.ReadAllBytes(linkedDisk), written), "the linked clone's overlay holds what the clone wrote in clear text");
        AssertKeyLeaksNowhere(key);
    }

    private async Task<Guid> CreateEncryptedVmAsync(string name)
    {
        using var response = await _cluster.Api.PostAsJsonAsync("/api/v1/vms", new
        {
            name,
            hostId = _hostId,
            memoryMiB = 256,
            cdromIsoPath = _cluster.GuestIsoInPool,
            disks = new[] { new { sizeMiB = 32, encrypted = true } },
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("vmId").GetGuid();
    }

    private async Task StartAsync(Guid vmId)
    {
        await PostOkAsync($"/api/v1/vms/{vmId}/start");
        await _cluster.WaitForVmStateAsync(vmId, "Running");
    }

    private Task<SerialConsole> SerialAsync(Guid vmId) =>
        SerialConsole.ConnectAsync(Path.Combine(_cluster.AgentRunDirectory, vmId.ToString(), "serial.sock"), TimeSpan.FromSeconds(10));

    private async Task<string> BackUpAsync(Guid vmId)
    {
        var before = BackupIds(vmId);
        await PostOkAsync($"/api/v1/vms/{vmId}/backups");
        return Assert.Single(BackupIds(vmId).Except(before));
    }

    private List<string> BackupIds(Guid vmId)
    {
        var folder = Path.Combine(_cluster.ImagePool, "backups", vmId.ToString());
        return Directory.Exists(folder) ? [.. Directory.EnumerateDirectories(folder).Select(d => Path.GetFileName(d)).Where(n => !n.StartsWith('.'))] : [];
    }

    private string BackupImage(Guid vmId, string backupId) => Path.Combine(_cluster.ImagePool, "backups", vmId.ToString(), backupId, "disk0.qcow2");

    private async Task<string> PostOkAsync(string url, object? body = null)
    {
        using var response = body is null ? await _cluster.Api.PostAsync(url, null) : await _cluster.Api.PostAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created, $"POST {url}: {(int)response.StatusCode} {text}");
        return text;
    }

    /// <summary>The disk's key as the panel keeps it: protected in the inventory, unprotected with the panel's Data Protection keys.</summary>
    private async Task<string> DiskKeyAsync(Guid vmId)
    {
        using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_cluster.DatabasePath};Mode=ReadOnly");
        await db.OpenAsync();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT ProtectedKey FROM Disks WHERE lower(VmId) = lower($id) AND DiskId = 'disk0'";
        command.Parameters.AddWithValue("$id", vmId.ToString());
        var protectedKey = await command.ExecuteScalarAsync() as string;
        Assert.False(string.IsNullOrEmpty(protectedKey), $"VM {vmId}'s encrypted disk has no key in the panel's inventory");
        var provider = DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(_cluster.PanelDataDirectory, "keys")), b => b.SetApplicationName("WebVirt"));
        return provider.CreateProtector("WebVirt.DiskKeys.v1").Unprotect(protectedKey);
    }

    /// <summary>Decrypts the image with qemu-img into a raw file and looks for the marker there.</summary>
    private async Task<bool> DecryptedContainsAsync(string image, string key, string marker)
    {
        var keyFile = Path.Combine(_scratch.Path, $"{Guid.NewGuid():N}.key");
        var raw = Path.Combine(_scratch.Path, $"{Guid.NewGuid():N}.raw");
        await File.WriteAllTextAsync(keyFile, key);
        try
        {
            var start = new ProcessStartInfo("qemu-img") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in new[]
            {
                "convert", "--object", $"secret,id=k,file={keyFile}", "--image-opts",
                EncryptedImageOptionsFor(image), "-O", "raw", raw,
            })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"qemu-img could not decrypt {image}: {error}");
            return Contains(await File.ReadAllBytesAsync(raw), marker);
        }
        finally
        {
            File.Delete(keyFile);
            File.Delete(raw);
        }
    }

    // Linked clones' backing images are encrypted with the same key; the test images here have at most one.
    private static string EncryptedImageOptionsFor(string image)
    {
        var options = $"driver=qcow2,file.driver=file,file.filename={image.Replace(",", ",,", StringComparison.Ordinal)},encrypt.key-secret=k";
        return BackingFileReader.Read(image) is { } backing
            ? options + $",backing.driver=qcow2,backing.file.driver=file,backing.file.filename={backing.Replace(",", ",,", StringComparison.Ordinal)},backing.encrypt.key-secret=k"
            : options;
    }

    /// <summary>The key is in no file of the panel or the agent (logs, inventory, images, backups), no program's output and no command line.</summary>
    private void AssertKeyLeaksNowhere(string key)
    {
        var needle = Encoding.UTF8.GetBytes(key);
        foreach (var file in Directory.EnumerateFiles(_cluster.RootDirectory, "*", SearchOption.AllDirectories))
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(file);
            }
            catch (IOException)
            {
                continue; // a socket, or a file removed meanwhile
            }

            Assert.False(bytes.AsSpan().IndexOf(needle) >= 0, $"the disk key is in clear text in {file}");
        }

        Assert.DoesNotContain(key, _cluster.Panel!.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(key, _cluster.Agent!.Output, StringComparison.Ordinal);
        foreach (var cmdline in Directory.EnumerateDirectories("/proc").Select(d => Path.Combine(d, "cmdline")))
        {
            string text;
            try
            {
                text = File.ReadAllText(cmdline);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            Assert.DoesNotContain(key, text, StringComparison.Ordinal);
        }
    }

    private static bool Contains(byte[] haystack, string marker) => haystack.AsSpan().IndexOf(Encoding.ASCII.GetBytes(marker)) >= 0;
}
