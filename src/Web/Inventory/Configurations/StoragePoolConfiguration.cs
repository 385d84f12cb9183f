using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebVirt.Web.Inventory.Configurations;

internal sealed class StoragePoolConfiguration : IEntityTypeConfiguration<StoragePool>
{
    public void Configure(EntityTypeBuilder<StoragePool> builder)
    {
        builder.ToTable("StoragePools");
        builder.Property(p => p.Name).HasMaxLength(InventoryLimits.NameLength).UseCollation(InventoryLimits.CaseInsensitive);
        builder.HasIndex(p => new { p.HostId, p.Name }).IsUnique();
        builder.HasOne<HostRecord>().WithMany().HasForeignKey(p => p.HostId).OnDelete(DeleteBehavior.Cascade);
    }
}
