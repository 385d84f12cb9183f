using System.Text.Json;
using System.Text.Json.Nodes;

namespace WebVirt.E2E.Tests.Security;

/// <summary>
/// The hostile-input corpus, by field kind: each value sent to the fields it targets, as the administrator. Routes and
/// bodies use <c>{host}</c>, <c>{pool}</c> and <c>{vm}</c> (a stopped VM with disk <c>disk0</c> and NIC <c>net0</c>).
/// Download URLs are separate (<see cref="LoopbackUrls"/>, <see cref="UnreachableUrls"/>): their refusal comes from the
/// host, as a failed task.
/// </summary>
public static class HostileInputs
{
    public const string TargetVm = "/api/v1/vms/{vm}";
    private const string Pools = "/api/v1/hosts/{host}/pools";

    /// <summary>Strings that break names, paths and option lists: separators, traversal, control characters, shell and markup.</summary>
    public static readonly IReadOnlyList<string> Strings =
    [
        "", " ", "a b", "..", ".", "../../etc/passwd", "/etc/passwd", "a/../b", "a,b=c", "a,,b", "x,file=/etc/shadow",
        "x\ny", "x\r\ny", "x\0y", "x%00y", "x\ty", new string('a', 10_000), "ünïcödé", "日本語", "💥", "a\u202Eb",
        "-object", "-object memory-backend-file,id=m,mem-path=/etc", "\"quoted\"", "'single'", "$(id)", "`id`",
        "a;rm -rf /", "{\"$type\":\"System.IO.FileInfo\"}", "key: value\n- item", "<script>alert(1)</script>", "%2e%2e%2f",
        "${jndi:ldap://127.0.0.1/x}", "\\\\server\\share",
    ];

    /// <summary>Paths a CD-ROM, a disk or a pool must never take: relative, traversing, outside every pool, with QEMU separators.</summary>
    public static readonly IReadOnlyList<string> Paths =
    [
        "", "relative.iso", "../guest.iso", "/etc/passwd", "/", "/proc/self/environ", "/dev/sda", "/tmp/../etc/shadow",
        "/tmp//x.iso", "/tmp/./x.iso", "/tmp/a,b=c.iso", "/tmp/x.iso,file=/etc/shadow", "/tmp/x\n.iso", "/tmp/x\0.iso",
        "/tmp/x%00.iso", "json:{\"file\":{\"driver\":\"file\",\"filename\":\"/etc/passwd\"}}", "nbd:127.0.0.1:10809",
        "file:///etc/passwd", "/" + new string('a', 10_000), "C:\\Windows\\x.iso",
    ];

    public static IEnumerable<HostileCase> All =>
        [.. VmNames(), .. Descriptions(), .. Tags(), .. Sizes(), .. Macs(), .. PortForwards(), .. TapDevices(),
         .. IsoPaths(), .. DiskFiles(), .. PoolFields(), .. PoolFileNames(), .. Enums(), .. DownloadRequests(),
         .. OtherNames(), .. Bodies(), .. QueryValues()];

    private static IEnumerable<HostileCase> VmNames()
    {
        foreach (var value in Strings)
        {
            yield return CreateVm("name", vm => vm["name"] = value);
            yield return Patch("name", new JsonObject { ["name"] = value }, mayBeAccepted: value == " ");
        }

        yield return CreateVm("name", vm => vm["name"] = new string('a', 64));
        yield return CreateVm("name", vm => vm["name"] = null);
    }

    private static IEnumerable<HostileCase> Descriptions()
    {
        // Panel-only Markdown: any text is stored as given (the page escapes it), up to the limit.
        foreach (var value in Strings.Where(s => s.Length > 0))
        {
            yield return Patch("description", new JsonObject { ["description"] = value }, mayBeAccepted: true) with { StoredDescription = value };
        }

        yield return Patch("description", new JsonObject { ["description"] = new string('d', 20_001) });
        yield return CreateVm("description", vm => vm["description"] = new string('d', 20_001));
    }

    private static IEnumerable<HostileCase> Tags()
    {
        foreach (var value in Strings)
        {
            yield return Patch("tags", new JsonObject { ["tags"] = new JsonArray(value) });
        }

        yield return Patch("tags", new JsonObject { ["tags"] = new JsonArray([.. Enumerable.Range(0, 17).Select(i => (JsonNode)$"t{i}")]) });
        yield return Patch("tags", new JsonObject { ["tags"] = new JsonArray(new string('t', 33)) });
        yield return Raw("tags", "PATCH", TargetVm, "{\"tags\":\"web\"}");
        yield return Raw("tags", "PATCH", TargetVm, "{\"tags\":[1,2]}");
        yield return Raw("tags", "PATCH", TargetVm, "{\"tags\":[{\"a\":1}]}");
    }

    private static IEnumerable<HostileCase> Sizes()
    {
        string[] badInts = ["-1", "0", "15", "4194305", "2147483647", "-2147483648", "2147483648", "1e99", "1.5", "\"abc\"", "\"0x400\"", "true", "[]", "{}"];
        foreach (var value in badInts)
        {
            yield return CreateVmRaw("memoryMiB", "memoryMiB", value);
            yield return HardwareRaw("memoryMiB", "memoryMiB", value);
        }

        foreach (var value in new[] { "0", "-1", "289", "2147483647", "1.5", "\"two\"" })
        {
            yield return CreateVmRaw("cores", "cores", value);
            yield return CreateVmRaw("sockets", "sockets", value);
        }

        yield return HardwareRaw("cpu", "cpu", "{\"sockets\":0,\"cores\":1,\"threads\":1}");
        yield return HardwareRaw("cpu", "cpu", "{\"sockets\":17,\"cores\":17,\"threads\":2}");
        yield return HardwareRaw("cpu.model", "cpu", "{\"sockets\":1,\"cores\":1,\"threads\":1,\"model\":\"max,+vmx\"}");
        yield return HardwareRaw("cpu.model", "cpu", "{\"sockets\":1,\"cores\":1,\"threads\":1,\"model\":\"host -object x\"}");

        string[] badSizes = ["0", "-1", "67108865", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "1.5", "\"8G\""];
        foreach (var value in badSizes)
        {
            yield return CreateVmRaw("sizeMiB", "disks", $"[{{\"sizeMiB\":{value}}}]");
            yield return Raw("sizeMiB", "POST", TargetVm + "/disks", $"{{\"poolId\":\"{{pool}}\",\"sizeMiB\":{value}}}");
            yield return Raw("sizeMiB", "POST", TargetVm + "/disks/disk0/resize", $"{{\"sizeMiB\":{value}}}");
        }

        foreach (var value in new[] { "0", "-1", "3601", "\"60s\"" })
        {
            yield return CreateVmRaw("shutdownTimeoutSeconds", "shutdownTimeoutSeconds", value);
        }

        foreach (var value in new[] { "-1", "10000", "\"first\"" })
        {
            yield return Raw("startOrder", "PATCH", TargetVm, $"{{\"startOrder\":{value}}}");
        }

        foreach (var value in new[] { "0", "-1", "1099511627777" })
        {
            yield return Raw("ioLimits", "PUT", TargetVm + "/disks/disk0", $"{{\"bus\":\"Virtio\",\"cache\":\"None\",\"ioLimits\":{{\"readBytesPerSecond\":{value}}}}}");
        }
    }

    private static IEnumerable<HostileCase> Macs()
    {
        // The API takes no MAC (the panel keeps each NIC's own): one sent anyway is ignored or refused, never used.
        string[] macs = ["", "zz:zz:zz:zz:zz:zz", "01:00:5e:00:00:01", "ff:ff:ff:ff:ff:ff", "52:54:00:12:34", "52:54:00:12:34:56:78",
            "52-54-00-12-34-56", "52:54:00:12:34:56,netdev=x", "52:54:00:12:34:5\n6", "525400123456"];
        foreach (var mac in macs)
        {
            yield return Hardware("macAddress", Nic(n => n["macAddress"] = mac), mayBeAccepted: true);
        }
    }

    private static IEnumerable<HostileCase> PortForwards()
    {
        string[] addresses = ["0.0.0.0", "::", "::1", "::ffff:127.0.0.1", "localhost", "example.com", "127.1", "127.000.000.001", "",
            "127.0.0.1,hostfwd=tcp::2222-:22", "127.0.0.1 ", "999.1.1.1", "1.2.3.4.5", "10.0.0.1"];
        foreach (var address in addresses)
        {
            yield return Hardware("hostAddress", Nic(n => n["portForwards"] = new JsonArray(Forward(address, "40022", "22", "\"Tcp\""))));
        }

        foreach (var port in new[] { "0", "-1", "65536", "22", "1024", "2147483648", "\"ssh\"" })
        {
            yield return HardwareRawNic("hostPort", Forward("127.0.0.1", port, "22", "\"Tcp\""));
        }

        foreach (var port in new[] { "0", "-1", "65536" })
        {
            yield return HardwareRawNic("guestPort", Forward("127.0.0.1", "40023", port, "\"Tcp\""));
        }

        foreach (var protocol in new[] { "99", "-1", "\"Icmp\"", "\"tcp,udp\"", "\"\"", "null" })
        {
            yield return HardwareRawNic("protocol", Forward("127.0.0.1", "40024", "22", protocol));
        }

        // A tap NIC with forwards: refused, for the forwards or (first, on this host) for the tap device it names.
        yield return Hardware("nics[0]", Nic(n =>
        {
            n["mode"] = "Tap";
            n["tapDevice"] = "tap0";
            n["portForwards"] = new JsonArray(Forward("127.0.0.1", "40025", "22", "\"Tcp\""));
        }));
    }

    /// <summary>The panel's own port as a forward's host port (filled in by the test).</summary>
    public static HostileCase PanelPortForward(int panelPort) =>
        HardwareRawNic("hostPort", Forward("127.0.0.1", panelPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "22", "\"Tcp\""));

    private static IEnumerable<HostileCase> TapDevices()
    {
        string?[] taps = ["tap 0", "tap,0", "tap=0", "tap0,script=/bin/sh", "../tap0", "/dev/net/tun", "tap0123456789abcd", "", null,
            "tap0;id", "-tap", "wvtap0", "eth0", "lo"];
        foreach (var tap in taps)
        {
            yield return Hardware("tapDevice", Nic(n =>
            {
                n["mode"] = "Tap";
                n["tapDevice"] = tap;
            }));
        }
    }

    private static IEnumerable<HostileCase> IsoPaths()
    {
        foreach (var path in Paths)
        {
            yield return CreateVm("isoPath", vm => vm["cdromIsoPath"] = path);
            yield return Post("isoPath", TargetVm + "/cdrom", new JsonObject { ["isoPath"] = path });
            // An empty path is an empty drive.
            yield return Hardware("isoPath", new JsonObject { ["cdrom"] = new JsonObject { ["isoPath"] = path } }, mayBeAccepted: path.Length == 0);
        }
    }

    private static IEnumerable<HostileCase> DiskFiles()
    {
        foreach (var name in Strings.Concat(["/etc/passwd", "guest.iso/../../x", ".partial/x.qcow2"]))
        {
            yield return Post("fileName", TargetVm + "/disks", new JsonObject { ["source"] = "Existing", ["poolId"] = "{pool}", ["fileName"] = name, ["format"] = "Qcow2" });
        }

        foreach (var name in new[] { "../../etc/passwd", "/etc/passwd", "x,file=/etc/shadow", "" })
        {
            yield return Post("fileName", TargetVm + "/disks", new JsonObject { ["source"] = "Import", ["poolId"] = "{pool}", ["fileName"] = name, ["importFormat"] = "Raw" });
        }
    }

    private static IEnumerable<HostileCase> PoolFields()
    {
        foreach (var value in Strings)
        {
            yield return Post("name", Pools, new JsonObject { ["name"] = value, ["path"] = "/tmp", ["contentTypes"] = "Iso" });
        }

        foreach (var path in Paths.Concat(["/etc", "/usr/share", "/tmp"]))
        {
            yield return Post("path", Pools, new JsonObject { ["name"] = "corpus", ["path"] = path, ["contentTypes"] = "Iso" });
        }
    }

    private static IEnumerable<HostileCase> PoolFileNames()
    {
        // Not ".." or "%2e%2e": HTTP clients and Kestrel resolve dot segments before routing, so they name another route.
        string[] names = ["..%2F..%2Fetc%2Fpasswd", "a..b.iso", "a%0Ab.iso", ".partial", "%2Fetc%2Fpasswd", new string('a', 300) + ".iso"];
        foreach (var name in names)
        {
            yield return Raw("fileName", "PUT", $"{Pools}/{{pool}}/uploads/{name}?offset=0&total=10", "0123456789") with { NotFoundIsHarmless = true };
            yield return Raw("fileName", "DELETE", $"{Pools}/{{pool}}/content/{name}", null) with { NotFoundIsHarmless = true };
        }

        // Kestrel itself refuses a NUL in the path (a bare 400, before any of the panel's code runs).
        yield return Raw("fileName", "PUT", $"{Pools}/{{pool}}/uploads/a%00b.iso?offset=0&total=10", "0123456789") with { RefusedByServer = true };
        yield return Raw("fileName", "DELETE", $"{Pools}/{{pool}}/content/a%00b.iso", null) with { RefusedByServer = true };
    }

    private static IEnumerable<HostileCase> Enums()
    {
        string[] numbers = ["99", "-1", "2147483647", "1.5"];
        string[] names = ["\"Pc99\"", "\"q35,accel=kvm\"", "\"\"", "\"0x1\"", "\"-object\"", "{}", "[]"];
        foreach (var value in numbers.Concat(names))
        {
            yield return CreateVmRaw("machine", "machine", value);
            yield return CreateVmRaw("firmware", "firmware", value);
            yield return CreateVmRaw("nics[0].model", "nics", $"[{{\"model\":{value}}}]");
            yield return CreateVmRaw("nics[0].mode", "nics", $"[{{\"mode\":{value}}}]");
            yield return CreateVmRaw("disks[0].bus", "disks", $"[{{\"sizeMiB\":1,\"bus\":{value}}}]");
        }

        foreach (var value in new[] { "99", "-1", "\"Floppy\"" })
        {
            yield return CreateVmRaw("disks[0].format", "disks", $"[{{\"sizeMiB\":1,\"format\":{value}}}]");
            yield return CreateVmRaw("disks[0].cache", "disks", $"[{{\"sizeMiB\":1,\"cache\":{value}}}]");
            yield return Raw("source", "POST", TargetVm + "/disks", $"{{\"source\":{value},\"poolId\":\"{{pool}}\",\"sizeMiB\":1}}");
            yield return Raw("bus", "POST", TargetVm + "/disks", $"{{\"poolId\":\"{{pool}}\",\"sizeMiB\":1,\"bus\":{value}}}");
            yield return Raw("cache", "POST", TargetVm + "/disks", $"{{\"poolId\":\"{{pool}}\",\"sizeMiB\":1,\"cache\":{value}}}");
            yield return Raw("format", "POST", TargetVm + "/disks", $"{{\"poolId\":\"{{pool}}\",\"sizeMiB\":1,\"format\":{value}}}");
            yield return Raw("importFormat", "POST", TargetVm + "/disks", $"{{\"source\":\"Import\",\"poolId\":\"{{pool}}\",\"fileName\":\"x.raw\",\"importFormat\":{value}}}");
            yield return Raw("bus", "PUT", TargetVm + "/disks/disk0", $"{{\"bus\":{value},\"cache\":\"None\"}}");
            yield return Raw("cache", "PUT", TargetVm + "/disks/disk0", $"{{\"bus\":\"Virtio\",\"cache\":{value}}}");
            yield return Raw("format", "POST", TargetVm + "/disks/disk0/move", $"{{\"poolId\":\"{{pool}}\",\"format\":{value}}}");
            yield return HardwareRaw("diskOptions", "diskOptions", $"{{\"disk0\":{{\"bus\":{value},\"cache\":\"None\",\"discard\":true}}}}");
            yield return HardwareRaw("model", "nics", $"[{{\"id\":\"net0\",\"model\":{value},\"mode\":\"User\"}}]");
            yield return HardwareRaw("mode", "nics", $"[{{\"id\":\"net0\",\"model\":\"Virtio\",\"mode\":{value}}}]");
        }

        foreach (var value in new[] { "99", "-1", "8", "\"Iso,Floppy\"", "\"Everything\"" })
        {
            yield return Raw("contentTypes", "POST", Pools, $"{{\"name\":\"corpus\",\"path\":\"/tmp\",\"contentTypes\":{value}}}");
        }
    }

    private static IEnumerable<HostileCase> DownloadRequests()
    {
        // Refused by the panel before the host hears of them: not http(s), credentials in the address, no host.
        string[] urls = ["", "file:///etc/passwd", "gopher://127.0.0.1:70/_x", "ftp://127.0.0.1/x.iso", "dict://127.0.0.1:11211/",
            "javascript:alert(1)", "http://", "//127.0.0.1/x.iso", "127.0.0.1/x.iso", "http://user:pass@127.0.0.1/x.iso",
            "http://admin@169.254.169.254/latest/meta-data/", "data:text/plain,x", "http://127.0.0.1:99999/x.iso", "http://[::1/x.iso"];
        foreach (var url in urls)
        {
            yield return Post("url", $"{Pools}/{{pool}}/downloads", new JsonObject { ["url"] = url, ["fileName"] = "corpus.iso" });
        }

        foreach (var name in new[] { "../../etc/cron.d/x", "/etc/passwd", "a\nb.iso", "a\0b.iso", ".partial/x.iso", "..", new string('a', 300) + ".iso" })
        {
            yield return Post("fileName", $"{Pools}/{{pool}}/downloads", new JsonObject { ["url"] = "http://127.0.0.1:9/x.iso", ["fileName"] = name });
        }

        foreach (var sha in new[] { "abc", new string('g', 64), new string('a', 65), "' OR 1=1 --" })
        {
            yield return Post("sha256", $"{Pools}/{{pool}}/downloads", new JsonObject { ["url"] = "http://127.0.0.1:9/x.iso", ["fileName"] = "x.iso", ["sha256"] = sha });
        }
    }

    private static IEnumerable<HostileCase> OtherNames()
    {
        string[] values = ["", "a b", "../x", "x,y=z", "x\ny", "x\0y", new string('a', 10_000), "-object", "$(id)", "日本語"];
        foreach (var value in values)
        {
            yield return Post("name", TargetVm + "/snapshots", new JsonObject { ["name"] = value });
            yield return Post("name", TargetVm + "/clone", new JsonObject { ["name"] = value });
            yield return Post("userName", "/api/v1/access/users", new JsonObject { ["userName"] = value, ["password"] = "correct-horse-battery-8" });
            yield return Post("name", "/api/v1/access/groups", new JsonObject { ["name"] = value });
            yield return Post("name", "/api/v1/access/pools", new JsonObject { ["name"] = value });
            yield return Post("path", "/api/v1/access/acl", new JsonObject { ["path"] = value, ["userId"] = "admin", ["role"] = "Auditor" });
            yield return Raw("privileges", "PUT", "/api/v1/access/roles/CorpusRole", JsonSerializer.Serialize(new { privileges = new[] { value } }));
        }

        foreach (var path in new[] { "/vms/../", "/vms/not-a-guid", "/hosts/x,y", "//", "/storage/" })
        {
            yield return Post("path", "/api/v1/access/acl", new JsonObject { ["path"] = path, ["userId"] = "admin", ["role"] = "Auditor" });
        }

        foreach (var value in new[] { "25:00", "12:60", "noon", "$(id)", "12:00\n13:00" })
        {
            yield return Raw("dailyAt", "PUT", TargetVm + "/backups/schedule", JsonSerializer.Serialize(new { enabled = true, dailyAt = value, keepLast = 3 }));
        }

        foreach (var value in new[] { "0", "-1", "1000000" })
        {
            yield return Raw("keepLast", "PUT", TargetVm + "/backups/schedule", $"{{\"enabled\":true,\"dailyAt\":\"03:00\",\"keepLast\":{value}}}");
            yield return Raw("everyHours", "PUT", TargetVm + "/backups/schedule", $"{{\"enabled\":true,\"everyHours\":{value},\"keepLast\":3}}");
        }
    }

    private static IEnumerable<HostileCase> Bodies()
    {
        string[] bodies = ["", "{", "[1,2]", "null", "\"text\"", "{\"name\":\"a\"", "{\"name\":\"a\",}", "{'name':'a'}", "<vm name=\"a\"/>",
            "name: a\nmemoryMiB: 128\n", "{\"name\":\"a\u0000\"}", "\u0000"];
        foreach (var body in bodies)
        {
            yield return Raw("body", "POST", "/api/v1/vms", body);
        }

        // A repeated key: the last one counts, and is checked like any other (a VM "b" is created, then removed).
        yield return new HostileCase("name", "POST", "/api/v1/vms", "{\"name\":\"a b\",\"name\":\"corpus-dup\",\"memoryMiB\":128,\"nics\":[]}", MayBeAccepted: true);
        yield return Raw("name", "POST", "/api/v1/vms", "{\"name\":\"corpus-dup\",\"name\":\"a b\",\"memoryMiB\":128,\"nics\":[]}");
        yield return Raw("body", "PUT", TargetVm + "/hardware", "{\"nics\":");
        yield return Raw("body", "PATCH", TargetVm, "[\"description\"]");
    }

    private static IEnumerable<HostileCase> QueryValues()
    {
        foreach (var value in new[] { "-1", "0", "3601", "abc", "1e9", "9999999999" })
        {
            yield return Raw("timeout", "POST", $"{TargetVm}/shutdown?timeout={value}", null);
        }

        foreach (var value in new[] { "-1", "1001", "abc" })
        {
            yield return Raw("keepLast", "POST", $"{TargetVm}/backups?keepLast={value}", null);
        }

        foreach (var value in new[] { "maybe", "1", "yes%00" })
        {
            yield return Raw("removeDisks", "DELETE", $"{TargetVm}?removeDisks={value}", null);
        }
    }

    private static JsonObject Forward(string address, string hostPort, string guestPort, string protocol) =>
        JsonNode.Parse($"{{\"protocol\":{protocol},\"hostAddress\":{JsonSerializer.Serialize(address)},\"hostPort\":{hostPort},\"guestPort\":{guestPort}}}", documentOptions: default)?.AsObject()
        ?? throw new InvalidOperationException("not an object");

    private static JsonObject Nic(Action<JsonObject> change)
    {
        var nic = new JsonObject { ["id"] = "net0", ["model"] = "Virtio", ["mode"] = "User" };
        change(nic);
        return new JsonObject { ["nics"] = new JsonArray(nic) };
    }

    private static HostileCase HardwareRawNic(string field, JsonObject forward)
    {
        // Built as text: some forwards are not valid JSON for their types (a port of 2147483648), which is the point.
        var nic = $"{{\"id\":\"net0\",\"model\":\"Virtio\",\"mode\":\"User\",\"portForwards\":[{forward.ToJsonString()}]}}";
        return Raw(field, "PUT", TargetVm + "/hardware", $"{{\"nics\":[{nic}]}}");
    }

    private static JsonObject NewVm() => new()
    {
        ["name"] = "corpus-new",
        ["hostId"] = "{host}",
        ["memoryMiB"] = 128,
        ["disks"] = new JsonArray(),
        ["nics"] = new JsonArray(),
    };

    private static HostileCase CreateVm(string field, Action<JsonObject> change, bool mayBeAccepted = false)
    {
        var vm = NewVm();
        change(vm);
        return new HostileCase(field, "POST", "/api/v1/vms", vm.ToJsonString(), mayBeAccepted);
    }

    /// <summary>A create request whose <paramref name="key"/> is the raw JSON <paramref name="value"/> (which may not fit the field's type).</summary>
    private static HostileCase CreateVmRaw(string field, string key, string value)
    {
        var vm = NewVm();
        vm.Remove(key);
        var text = vm.ToJsonString();
        return new HostileCase(field, "POST", "/api/v1/vms", $"{text[..^1]},\"{key}\":{value}}}");
    }

    private static HostileCase HardwareRaw(string field, string key, string value) =>
        Raw(field, "PUT", TargetVm + "/hardware", $"{{\"{key}\":{value}}}");

    private static HostileCase Hardware(string field, JsonObject body, bool mayBeAccepted = false) =>
        new(field, "PUT", TargetVm + "/hardware", body.ToJsonString(), mayBeAccepted);

    private static HostileCase Patch(string field, JsonObject body, bool mayBeAccepted = false) =>
        new(field, "PATCH", TargetVm, body.ToJsonString(), mayBeAccepted);

    private static HostileCase Post(string field, string route, JsonObject body) => new(field, "POST", route, body.ToJsonString());

    private static HostileCase Raw(string field, string method, string route, string? body) => new(field, method, route, body);
}
