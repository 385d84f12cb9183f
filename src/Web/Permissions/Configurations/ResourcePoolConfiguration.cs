using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Permissions.Configurations;

internal sealed class ResourcePoolConfiguration : IEntityTypeConfiguration<ResourcePool>
{
    public void Configure(EntityTypeBuilder<ResourcePool> builder)
    {
        builder.ToTable("ResourcePools");
        builder.HasKey(p => p.Name);
        builder.Property(p => p.Name).HasMaxLength(InventoryLimits.NameLength).UseCollation(InventoryLimits.CaseInsensitive);
        builder.Property(p => p.Comment).HasMaxLength(AccessLimits.CommentLength);
        builder.HasMany(p => p.Members).WithOne().HasForeignKey(m => m.PoolName).OnDelete(DeleteBehavior.Cascade);
    }
}
