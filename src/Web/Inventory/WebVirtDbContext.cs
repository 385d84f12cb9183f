using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using WebVirt.Shared.Hosts;
using WebVirt.Shared.Vms;
using WebVirt.Web.Inventory.Configurations;
using WebVirt.Web.Permissions;
using WebVirt.Web.Permissions.Configurations;
using WebVirt.Web.Tasks;
using WebVirt.Web.Tasks.Configurations;

namespace WebVirt.Web.Inventory;

/// <summary>
/// The panel's database: users (Identity), hosts, VMs, storage, tasks and audit.
/// Use it through <see cref="IDbContextFactory{TContext}"/>, one short-lived context per operation.
/// </summary>
internal sealed class WebVirtDbContext(DbContextOptions<WebVirtDbContext> options) : IdentityDbContext<WebVirtUser>(options)
{
    public DbSet<HostRecord> Hosts => Set<HostRecord>();
    public DbSet<VmRecord> Vms => Set<VmRecord>();
    public DbSet<DiskRecord> Disks => Set<DiskRecord>();
    public DbSet<NicRecord> Nics => Set<NicRecord>();
    public DbSet<StoragePool> StoragePools => Set<StoragePool>();
    public DbSet<IsoImage> IsoImages => Set<IsoImage>();
    public DbSet<TaskRecord> Tasks => Set<TaskRecord>();
    public DbSet<TaskLogLine> TaskLogLines => Set<TaskLogLine>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<AccessGroup> AccessGroups => Set<AccessGroup>();
    public DbSet<AccessGroupMember> AccessGroupMembers => Set<AccessGroupMember>();
    public DbSet<CustomRole> CustomRoles => Set<CustomRole>();
    public DbSet<ResourcePool> ResourcePools => Set<ResourcePool>();
    public DbSet<PoolMember> PoolMembers => Set<PoolMember>();
    public DbSet<AclEntry> AclEntries => Set<AclEntry>();
    public DbSet<ConsoleShareLink> ConsoleShareLinks => Set<ConsoleShareLink>();
    public DbSet<Backups.BackupScheduleRecord> BackupSchedules => Set<Backups.BackupScheduleRecord>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Nullable DateTimeOffset? and enum? properties pick these up too.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();

        StoreAsString<Accelerator>(configurationBuilder);
        StoreAsString<DiskBus>(configurationBuilder);
        StoreAsString<DiskCache>(configurationBuilder);
        StoreAsString<DiskFormat>(configurationBuilder);
        StoreAsString<DisplayAdapter>(configurationBuilder);
        StoreAsString<Firmware>(configurationBuilder);
        StoreAsString<MachineType>(configurationBuilder);
        StoreAsString<NicMode>(configurationBuilder);
        StoreAsString<NicModel>(configurationBuilder);
        StoreAsString<StorageContent>(configurationBuilder);
        StoreAsString<TaskState>(configurationBuilder);
        StoreAsString<VmPowerState>(configurationBuilder);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfiguration(new HostRecordConfiguration());
        builder.ApplyConfiguration(new VmRecordConfiguration());
        builder.ApplyConfiguration(new DiskRecordConfiguration());
        builder.ApplyConfiguration(new NicRecordConfiguration());
        builder.ApplyConfiguration(new StoragePoolConfiguration());
        builder.ApplyConfiguration(new IsoImageConfiguration());
        builder.ApplyConfiguration(new ApiTokenConfiguration());
        builder.ApplyConfiguration(new ConsoleShareLinkConfiguration());
        builder.ApplyConfiguration(new TaskRecordConfiguration());
        builder.ApplyConfiguration(new TaskLogLineConfiguration());
        builder.ApplyConfiguration(new AuditEntryConfiguration());
        builder.ApplyConfigurationsFromAssembly(typeof(AclEntryConfiguration).Assembly, type => type.Namespace == typeof(AclEntryConfiguration).Namespace);
        builder.ApplyConfiguration(new Backups.Configurations.BackupScheduleRecordConfiguration());
    }

    private static void StoreAsString<TEnum>(ModelConfigurationBuilder configurationBuilder)
        where TEnum : struct, Enum =>
        configurationBuilder.Properties<TEnum>().HaveConversion<string>().HaveMaxLength(InventoryLimits.EnumLength);
}
