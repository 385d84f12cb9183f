using System.Runtime.InteropServices;
using System.Text;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace WebVirt.Hypervisor.Interop;

/// <summary>
/// Every native call of the hypervisor library. Tmds.LibC covers most of libc; posix_spawn and waitpid,
/// which it lacks, are imported here directly. The KVM ioctl numbers come from linux/kvm.h.
/// </summary>
internal static unsafe partial class Native
{
    /// <summary>_IO(KVMIO, 0x00) with KVMIO = 0xAE.</summary>
    public const int KvmGetApiVersion = 0xAE00;

    /// <summary>_IO(KVMIO, 0x01).</summary>
    public const int KvmCreateVm = 0xAE01;

    private const int WNOHANG = 1;
    private const short PosixSpawnSetSigDef = 0x04;
    private const short PosixSpawnSetSigMask = 0x08;
    private const short PosixSpawnSetSid = 0x80;

    /// <summary>glibc's posix_spawn_file_actions_t is 80 bytes and posix_spawnattr_t 336 on x86-64; generous room for both.</summary>
    private const int OpaqueStructBytes = 1024;

    private const int SigSetBytes = 128;

    public static int OpenReadWrite(string path, out string error)
    {
        var bytes = NullTerminated(path);
        fixed (byte* p = bytes)
        {
            var fd = open(p, O_RDWR | O_CLOEXEC, 0);
            error = fd < 0 ? Describe(errno) : "";
            return fd;
        }
    }

    public static int Ioctl(int fd, int request, int argument, out string error)
    {
        var result = ioctl(fd, request, argument);
        error = result < 0 ? Describe(errno) : "";
        return result;
    }

    public static void Close(int fd) => close(fd);

    /// <summary>True while a process with this pid exists (a zombie counts until it is reaped).</summary>
    public static bool ProcessExists(int pid) => kill(pid, 0) == 0 || errno == EPERM;

    /// <summary>True while the process runs: it exists and is not a zombie waiting for another parent to reap it.</summary>
    public static bool IsAlive(int pid)
    {
        if (!ProcessExists(pid))
        {
            return false;
        }

        try
        {
            // /proc/PID/stat: "pid (comm) state ...", where comm may itself contain spaces and parentheses.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static bool SendSignal(int pid, int signal) => kill(pid, signal) == 0;

    public static int SigKill => SIGKILL;

    public static int SigTerm => SIGTERM;

    public static bool ChangeOwner(string path, int uid, int gid)
    {
        var bytes = NullTerminated(path);
        fixed (byte* p = bytes)
        {
            return chown(p, (uint)uid, (uint)gid) == 0;
        }
    }

    public static int EffectiveUserId => (int)(uint)geteuid();

    /// <summary>
    /// Starts a program in a new session (so the terminal's and the agent's signals do not reach it), with
    /// stdin on /dev/null and stdout and stderr appended to <paramref name="logPath"/>, all signal
    /// dispositions reset to default and nothing blocked, only <paramref name="environment"/> as its environment,
    /// and no descriptor of this process but those three (an fd inherited without close-on-exec, such as a pipe
    /// from whoever started the agent, would otherwise reach QEMU). Returns the child's pid.
    /// </summary>
    public static int Spawn(IReadOnlyList<string> argv, string logPath, IReadOnlyList<KeyValuePair<string, string>> environment)
    {
        var fileActions = stackalloc byte[OpaqueStructBytes];
        var attributes = stackalloc byte[OpaqueStructBytes];
        var emptySet = stackalloc byte[SigSetBytes];
        var fullSet = stackalloc byte[SigSetBytes];
        new Span<byte>(emptySet, SigSetBytes).Clear();
        new Span<byte>(fullSet, SigSetBytes).Fill(0xFF);

        var strings = new List<IntPtr>();
        try
        {
            Check(posix_spawn_file_actions_init(fileActions), "posix_spawn_file_actions_init");
            Check(posix_spawnattr_init(attributes), "posix_spawnattr_init");
            var devNull = Allocate("/dev/null", strings);
            var log = Allocate(logPath, strings);
            Check(posix_spawn_file_actions_addopen(fileActions, 0, devNull, O_RDONLY, 0), "addopen stdin");
            Check(posix_spawn_file_actions_addopen(fileActions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0x1A0), "addopen stdout");
            Check(posix_spawn_file_actions_adddup2(fileActions, 1, 2), "adddup2 stderr");
            Check(posix_spawn_file_actions_addclosefrom_np(fileActions, 3), "addclosefrom_np");
            Check(posix_spawnattr_setflags(attributes, PosixSpawnSetSid | PosixSpawnSetSigMask | PosixSpawnSetSigDef), "posix_spawnattr_setflags");
            Check(posix_spawnattr_setsigmask(attributes, emptySet), "posix_spawnattr_setsigmask");
            Check(posix_spawnattr_setsigdefault(attributes, fullSet), "posix_spawnattr_setsigdefault");

            var argvPointers = stackalloc IntPtr[argv.Count + 1];
            for (var i = 0; i < argv.Count; i++)
            {
                argvPointers[i] = (IntPtr)Allocate(argv[i], strings);
            }

            argvPointers[argv.Count] = IntPtr.Zero;
            var envPointers = stackalloc IntPtr[environment.Count + 1];
            var n = 0;
            foreach (var (name, value) in environment)
            {
                envPointers[n++] = (IntPtr)Allocate($"{name}={value}", strings);
            }

            envPointers[n] = IntPtr.Zero;

            int pid;
            var result = posix_spawnp(&pid, (byte*)argvPointers[0], fileActions, attributes, (byte**)argvPointers, (byte**)envPointers);
            if (result != 0)
            {
                throw new InvalidOperationException($"Cannot start {argv[0]}: {Describe(result)}");
            }

            return pid;
        }
        finally
        {
            posix_spawn_file_actions_destroy(fileActions);
            posix_spawnattr_destroy(attributes);
            foreach (var s in strings)
            {
                Marshal.FreeHGlobal(s);
            }
        }
    }

    /// <summary>
    /// Collects the exit status of a child of this process without blocking. Null while it still runs or
    /// when it is not our child (a VM that outlived an earlier agent belongs to init).
    /// </summary>
    public static ChildExitStatus? TryReap(int pid)
    {
        int status;
        var result = waitpid(pid, &status, WNOHANG);
        if (result != pid)
        {
            return null;
        }

        var signal = status & 0x7F;
        return signal == 0
            ? new ChildExitStatus((status >> 8) & 0xFF, null)
            : new ChildExitStatus(null, signal);
    }

    public static string Describe(int errorNumber)
    {
        var buffer = stackalloc byte[256];
        var message = strerror_r(errorNumber, buffer, 256) == 0
            ? Marshal.PtrToStringUTF8((IntPtr)buffer) ?? ""
            : "";
        return message.Length > 0 ? $"{message}, errno {errorNumber}" : $"errno {errorNumber}";
    }

    private static byte* Allocate(string value, List<IntPtr> owned)
    {
        var bytes = NullTerminated(value);
        var memory = Marshal.AllocHGlobal(bytes.Length);
        Marshal.Copy(bytes, 0, memory, bytes.Length);
        owned.Add(memory);
        return (byte*)memory;
    }

    private static byte[] NullTerminated(string value)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }

    private static void Check(int result, string call)
    {
        if (result != 0)
        {
            throw new InvalidOperationException($"{call} failed: {Describe(result)}");
        }
    }

    [LibraryImport("libc", EntryPoint = "posix_spawnp")]
    private static partial int posix_spawnp(int* pid, byte* file, void* fileActions, void* attributes, byte** argv, byte** envp);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    private static partial int posix_spawn_file_actions_init(void* fileActions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    private static partial int posix_spawn_file_actions_destroy(void* fileActions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addopen")]
    private static partial int posix_spawn_file_actions_addopen(void* fileActions, int fd, byte* path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static partial int posix_spawn_file_actions_adddup2(void* fileActions, int fd, int newFd);

    /// <summary>glibc 2.34 and later (Debian 12 has 2.36).</summary>
    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addclosefrom_np")]
    private static partial int posix_spawn_file_actions_addclosefrom_np(void* fileActions, int from);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    private static partial int posix_spawnattr_init(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    private static partial int posix_spawnattr_destroy(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    private static partial int posix_spawnattr_setflags(void* attributes, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    private static partial int posix_spawnattr_setsigmask(void* attributes, void* signals);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    private static partial int posix_spawnattr_setsigdefault(void* attributes, void* signals);

    [LibraryImport("libc", EntryPoint = "waitpid")]
    private static partial int waitpid(int pid, int* status, int options);
}
