using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Permissions.Configurations;

internal sealed class AclEntryConfiguration : IEntityTypeConfiguration<AclEntry>
{
    public void Configure(EntityTypeBuilder<AclEntry> builder)
    {
        builder.ToTable("AclEntries");
        builder.Property(a => a.Path).HasMaxLength(AccessLimits.PathLength);
        builder.Property(a => a.RoleName).HasMaxLength(InventoryLimits.NameLength).UseCollation(InventoryLimits.CaseInsensitive);
        builder.HasIndex(a => new { a.Path, a.UserId, a.GroupId, a.RoleName }).IsUnique();

        // Entries go with their user or group; a role in use cannot be deleted (checked before, with a message).
        builder.HasOne<WebVirtUser>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AccessGroup>().WithMany().HasForeignKey(a => a.GroupId).OnDelete(DeleteBehavior.Cascade);
        builder.ToTable(t => t.HasCheckConstraint("CK_AclEntries_UserOrGroup", "(\"UserId\" IS NULL) <> (\"GroupId\" IS NULL)"));
    }
}
