using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebVirt.Web.Tasks.Configurations;

internal sealed class TaskRecordConfiguration : IEntityTypeConfiguration<TaskRecord>
{
    public void Configure(EntityTypeBuilder<TaskRecord> builder)
    {
        builder.ToTable("Tasks");
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Kind).HasMaxLength(64);
        builder.Property(t => t.TargetType).HasMaxLength(32);
        builder.Property(t => t.TargetId).HasMaxLength(64);
        builder.HasIndex(t => t.StartedAt);
        builder.HasIndex(t => new { t.TargetType, t.TargetId });

        // Small: the start-up sweep and the "running tasks" view look only at these.
        builder.HasIndex(t => t.Status);
    }
}
