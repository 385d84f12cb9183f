using System.Security.Cryptography;
using System.Text;
using WebVirt.Host.Agent.Vms;
using WebVirt.Hypervisor.Images;
using WebVirt.Shared.Vms;
using WebVirt.TestSupport;

namespace WebVirt.Host.Agent.Tests.Vms;

/// <summary>A LUKS-encrypted qcow2 disk on the real guest: data survives a restart, the key shows in no command line, file or log.</summary>
[Collection(RealQemuCollection.Name)]
public sealed class VmHostEncryptionTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan Guest = TimeSpan.FromSeconds(60);
    private AgentTestFolders _folders = null!;

    public Task InitializeAsync()
    {
        _folders = new AgentTestFolders(output);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _folders.DisposeAsync();

    [Fact]
    public async Task EncryptedDisk_KeepsDataAcrossRestarts_AndTheKeyLeaksNowhere()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var host = await _folders.StartHostAsync();
        var plain = _folders.Definition("vault", bootGuest: true);
        var definition = plain with { Disks = [plain.Disks[0] with { Encrypted = true }] };
        var noKey = await host.Commands.DefineVm(definition, AgentTestFolders.NewDisks(definition));
        Assert.False(noKey.Ok);
        Assert.Contains("provided no key", noKey.Error, StringComparison.Ordinal);

        Assert.True((await host.Commands.ProvideDiskKeys(definition.Uuid, new Dictionary<string, string> { ["disk0"] = key })).Ok);
        var defined = await host.Commands.DefineVm(definition, AgentTestFolders.NewDisks(definition));
        Assert.True(defined.Ok, defined.Error);
        var info = await new QemuImg().InfoAsync(definition.Disks[0].Path, DiskFormat.Qcow2);
        Assert.True(info.Encrypted, "the image is LUKS-encrypted");

        for (var boot = 0; boot < 2; boot++)
        {
            var started = await host.Commands.StartVm(definition.Uuid);
            Assert.True(started.Ok, started.Error);
            Assert.False(File.Exists(host.PathsFor(definition.Uuid).DiskKeyFile("disk0")), "the key file is gone once QEMU runs");
            AssertKeyInNoCommandLine(key);
            await using (var serial = await SerialConsole.ConnectAsync(host.PathsFor(definition.Uuid).SerialSocket, TimeSpan.FromSeconds(10)))
            {
                await serial.WaitForAsync(TestGuest.ReadyLine, Boot);
                if (boot == 0)
                {
                    await serial.SendLineAsync("webvirt-disk-write secret-data");
                    await serial.WaitForAsync("WEBVIRT-DISK-WRITTEN secret-data", Guest);
                }
                else
                {
                    await serial.SendLineAsync("webvirt-disk-read");
                    await serial.WaitForAsync("WEBVIRT-DISK-MARKER secret-data", Guest);
                }
            }

            Assert.True((await host.Commands.StopVm(definition.Uuid)).Ok);
        }

        // The agent after a restart holds no key: the disk stays locked until the panel provides it again.
        await host.DisposeAsync();
        var restarted = await _folders.StartHostAsync();
        var locked = await restarted.Commands.StartVm(definition.Uuid);
        Assert.False(locked.Ok);
        Assert.Contains("key of encrypted disk 'disk0' was not provided", locked.Error, StringComparison.Ordinal);

        var needle = Encoding.UTF8.GetBytes(key);
        foreach (var file in Directory.EnumerateFiles(_folders.Root, "*", SearchOption.AllDirectories))
        {
            Assert.False(File.ReadAllBytes(file).AsSpan().IndexOf(needle) >= 0, $"the key appears in {file}");
        }
    }

    private static void AssertKeyInNoCommandLine(string key)
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out _))
            {
                continue;
            }

            try
            {
                Assert.DoesNotContain(key, File.ReadAllText(Path.Combine(folder, "cmdline")), StringComparison.Ordinal);
            }
            catch (IOException)
            {
                // The process ended meanwhile.
            }
        }
    }
}
