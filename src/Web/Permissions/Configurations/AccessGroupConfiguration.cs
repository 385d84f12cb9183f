using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Permissions.Configurations;

internal sealed class AccessGroupConfiguration : IEntityTypeConfiguration<AccessGroup>
{
    public void Configure(EntityTypeBuilder<AccessGroup> builder)
    {
        builder.ToTable("AccessGroups");
        builder.Property(g => g.Name).HasMaxLength(InventoryLimits.NameLength).UseCollation(InventoryLimits.CaseInsensitive);
        builder.HasIndex(g => g.Name).IsUnique();
        builder.Property(g => g.Comment).HasMaxLength(AccessLimits.CommentLength);
        builder.HasMany(g => g.Members).WithOne().HasForeignKey(m => m.GroupId).OnDelete(DeleteBehavior.Cascade);
    }
}
