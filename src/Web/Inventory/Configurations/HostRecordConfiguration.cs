using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebVirt.Web.Inventory.Configurations;

internal sealed class HostRecordConfiguration : IEntityTypeConfiguration<HostRecord>
{
    public void Configure(EntityTypeBuilder<HostRecord> builder)
    {
        builder.ToTable("Hosts");
        builder.Property(h => h.Name).HasMaxLength(InventoryLimits.NameLength).UseCollation(InventoryLimits.CaseInsensitive);
        builder.HasIndex(h => h.Name).IsUnique();
        builder.Property(h => h.TokenHash).HasMaxLength(InventoryLimits.HashLength);

        // Agents are looked up by the hash of the token they present.
        builder.HasIndex(h => h.TokenHash).IsUnique();
    }
}
