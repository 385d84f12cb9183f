namespace WebVirt.Web.Tasks;

/// <summary>One line of a task's log; <see cref="Sequence"/> counts from 1 within the task.</summary>
public sealed class TaskLogLine
{
    public long Id { get; set; }
    public Guid TaskId { get; set; }
    public int Sequence { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Text { get; set; }
}
