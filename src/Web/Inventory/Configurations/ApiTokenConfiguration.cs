using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebVirt.Web.Inventory.Configurations;

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> builder)
    {
        builder.ToTable("ApiTokens");
        builder.Property(t => t.Name).HasMaxLength(InventoryLimits.NameLength);
        builder.HasIndex(t => new { t.UserId, t.Name }).IsUnique();
        builder.Property(t => t.TokenHash).HasMaxLength(InventoryLimits.HashLength);
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.HasOne<WebVirtUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
