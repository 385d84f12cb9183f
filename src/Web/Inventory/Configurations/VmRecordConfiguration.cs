using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebVirt.Web.Inventory.Configurations;

internal sealed class VmRecordConfiguration : IEntityTypeConfiguration<VmRecord>
{
    public void Configure(EntityTypeBuilder<VmRecord> builder)
    {
        builder.ToTable("Vms");

        // The id is the VM's UUID, chosen by the panel when the VM is created.
        builder.Property(v => v.Id).ValueGeneratedNever();
        builder.Property(v => v.Name).HasMaxLength(InventoryLimits.NameLength).UseCollation(InventoryLimits.CaseInsensitive);
        builder.HasIndex(v => new { v.HostId, v.Name }).IsUnique();
        builder.Property(v => v.DefinitionVersion).IsConcurrencyToken();
        builder.Property(v => v.Tags).HasConversion(new TagListConverter(), new TagListComparer()).HasColumnName("TagsJson");
        builder.Property(v => v.PendingDefinition).HasConversion(new VmDefinitionJsonConverter(), new VmDefinitionComparer()).HasColumnName("PendingDefinitionJson");

        // A host with VMs cannot be deleted: its VMs must be removed or moved first.
        builder.HasOne(v => v.Host).WithMany().HasForeignKey(v => v.HostId).OnDelete(DeleteBehavior.Restrict);

        builder.HasMany(v => v.Disks).WithOne().HasForeignKey(d => d.VmId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(v => v.Nics).WithOne().HasForeignKey(n => n.VmId).OnDelete(DeleteBehavior.Cascade);
    }
}
