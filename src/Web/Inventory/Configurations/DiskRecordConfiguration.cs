using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebVirt.Web.Inventory.Configurations;

internal sealed class DiskRecordConfiguration : IEntityTypeConfiguration<DiskRecord>
{
    public void Configure(EntityTypeBuilder<DiskRecord> builder)
    {
        builder.ToTable("Disks");
        builder.HasKey(d => new { d.VmId, d.DiskId });
        builder.Property(d => d.DiskId).HasMaxLength(InventoryLimits.DeviceIdLength);
    }
}
