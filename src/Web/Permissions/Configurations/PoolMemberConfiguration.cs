using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Permissions.Configurations;

internal sealed class PoolMemberConfiguration : IEntityTypeConfiguration<PoolMember>
{
    public void Configure(EntityTypeBuilder<PoolMember> builder)
    {
        builder.ToTable("PoolMembers");
        builder.HasKey(m => m.VmId);
        builder.Property(m => m.VmId).ValueGeneratedNever();
        builder.Property(m => m.PoolName).HasMaxLength(InventoryLimits.NameLength).UseCollation(InventoryLimits.CaseInsensitive);
        builder.HasIndex(m => m.PoolName);

        // Deleting a VM takes it out of its pool.
        builder.HasOne<VmRecord>().WithOne().HasForeignKey<PoolMember>(m => m.VmId).OnDelete(DeleteBehavior.Cascade);
    }
}
