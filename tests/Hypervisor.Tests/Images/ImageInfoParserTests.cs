using WebVirt.Hypervisor.Images;

namespace WebVirt.Hypervisor.Tests.Images;

public sealed class ImageInfoParserTests
{
    [Fact]
    public void Parse_Qemu72Output_ReadsEveryField()
    {
        // Shape printed by qemu-img 7.2 for a qcow2 overlay with one snapshot and an external data file.
        const string Json = """
            {
                "snapshots": [
                    { "icount": 0, "vm-clock-nsec": 500000000, "name": "s1", "date-sec": 1700000000,
                      "date-nsec": 250000000, "vm-clock-sec": 3, "id": "1", "vm-state-size": 4096 }
                ],
                "backing-filename-format": "raw",
                "virtual-size": 10485760,
                "filename": "a.qcow2",
                "cluster-size": 65536,
                "format": "qcow2",
                "actual-size": 200704,
                "encrypted": true,
                "format-specific": { "type": "qcow2", "data": { "data-file": "/d.raw", "corrupt": true } },
                "full-backing-filename": "/base.raw",
                "backing-filename": "/base.raw",
                "dirty-flag": true
            }
            """;

        var info = ImageInfoParser.Parse(Json);

        Assert.Equal("qcow2", info.Format);
        Assert.Equal(10485760, info.VirtualSize);
        Assert.Equal(200704, info.ActualSize);
        Assert.Equal(65536, info.ClusterSize);
        Assert.Equal("/base.raw", info.BackingFile);
        Assert.Equal("raw", info.BackingFormat);
        Assert.Equal("/d.raw", info.DataFile);
        Assert.True(info.Encrypted);
        Assert.True(info.Dirty);
        Assert.True(info.Corrupt);
        var snapshot = Assert.Single(info.Snapshots);
        Assert.Equal("1", snapshot.Id);
        Assert.Equal("s1", snapshot.Name);
        Assert.Equal(4096, snapshot.VmStateSize);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000).AddMilliseconds(250), snapshot.Date);
        Assert.Equal(TimeSpan.FromMilliseconds(3500), snapshot.VmClock);
    }

    [Fact]
    public void Parse_MinimalRaw_LeavesOptionalFieldsEmpty()
    {
        var info = ImageInfoParser.Parse("""{ "virtual-size": 1024, "filename": "r", "format": "raw" }""");

        Assert.Equal("raw", info.Format);
        Assert.Null(info.ActualSize);
        Assert.Null(info.ClusterSize);
        Assert.Null(info.BackingFile);
        Assert.Null(info.Dirty);
        Assert.False(info.Encrypted);
        Assert.Empty(info.Snapshots);
    }
}
