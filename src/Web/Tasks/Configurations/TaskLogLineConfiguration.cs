using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebVirt.Web.Tasks.Configurations;

internal sealed class TaskLogLineConfiguration : IEntityTypeConfiguration<TaskLogLine>
{
    public void Configure(EntityTypeBuilder<TaskLogLine> builder)
    {
        builder.ToTable("TaskLogLines");
        builder.HasIndex(l => new { l.TaskId, l.Sequence }).IsUnique();
        builder.HasOne<TaskRecord>().WithMany().HasForeignKey(l => l.TaskId).OnDelete(DeleteBehavior.Cascade);
    }
}
