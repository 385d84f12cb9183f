using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebVirt.Web.Inventory.Configurations;

internal sealed class NicRecordConfiguration : IEntityTypeConfiguration<NicRecord>
{
    public void Configure(EntityTypeBuilder<NicRecord> builder)
    {
        builder.ToTable("Nics");
        builder.HasKey(n => new { n.VmId, n.NicId });
        builder.Property(n => n.NicId).HasMaxLength(InventoryLimits.DeviceIdLength);
        builder.Property(n => n.MacAddress).HasMaxLength(17);
        builder.Property(n => n.PortForwards)
            .HasConversion(new PortForwardListConverter(), new PortForwardListComparer())
            .HasColumnName("PortForwardsJson");
    }
}
