using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Permissions.Configurations;

internal sealed class CustomRoleConfiguration : IEntityTypeConfiguration<CustomRole>
{
    public void Configure(EntityTypeBuilder<CustomRole> builder)
    {
        builder.ToTable("AccessRoles");
        builder.HasKey(r => r.Name);
        builder.Property(r => r.Name).HasMaxLength(InventoryLimits.NameLength).UseCollation(InventoryLimits.CaseInsensitive);
        builder.Property(r => r.PrivilegeList).HasMaxLength(AccessLimits.PrivilegeListLength);
        builder.Ignore(r => r.PrivilegeNames);
    }
}
