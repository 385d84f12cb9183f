using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Backups.Configurations;

internal sealed class BackupScheduleRecordConfiguration : IEntityTypeConfiguration<BackupScheduleRecord>
{
    public void Configure(EntityTypeBuilder<BackupScheduleRecord> builder)
    {
        builder.ToTable("BackupSchedules");
        builder.HasKey(s => s.VmId);
        builder.HasOne<VmRecord>().WithOne().HasForeignKey<BackupScheduleRecord>(s => s.VmId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(s => s.UserName).HasMaxLength(256);
        builder.Property(s => s.UserId).HasMaxLength(450);
        builder.HasIndex(s => s.NextRunAt);
    }
}
