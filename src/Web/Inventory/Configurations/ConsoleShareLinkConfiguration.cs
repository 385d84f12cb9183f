using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebVirt.Web.Inventory.Configurations;

internal sealed class ConsoleShareLinkConfiguration : IEntityTypeConfiguration<ConsoleShareLink>
{
    public void Configure(EntityTypeBuilder<ConsoleShareLink> builder)
    {
        builder.ToTable("ConsoleShareLinks");
        builder.Property(l => l.TokenHash).HasMaxLength(InventoryLimits.HashLength);
        builder.HasIndex(l => l.TokenHash).IsUnique();
        builder.Property(l => l.CreatedBy).HasMaxLength(InventoryLimits.NameLength);
        builder.HasIndex(l => l.VmId);
        builder.HasOne<VmRecord>().WithMany().HasForeignKey(l => l.VmId).OnDelete(DeleteBehavior.Cascade);
    }
}
