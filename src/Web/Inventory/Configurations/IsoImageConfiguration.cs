using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebVirt.Web.Inventory.Configurations;

internal sealed class IsoImageConfiguration : IEntityTypeConfiguration<IsoImage>
{
    public void Configure(EntityTypeBuilder<IsoImage> builder)
    {
        builder.ToTable("IsoImages");
        builder.HasIndex(i => new { i.PoolId, i.FileName }).IsUnique();
        builder.Property(i => i.Sha256).HasMaxLength(InventoryLimits.HashLength);
        builder.HasOne<StoragePool>().WithMany().HasForeignKey(i => i.PoolId).OnDelete(DeleteBehavior.Cascade);
    }
}
