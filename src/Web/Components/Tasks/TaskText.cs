using MudBlazor;
using WebVirt.Web.Tasks;

namespace WebVirt.Web.Components.Tasks;

/// <summary>How the task panel and its dialog word and colour a task.</summary>
internal static class TaskText
{
    /// <summary>"1:05" below an hour, "2:03:09" above; a running task's so far.</summary>
    public static string Duration(TaskRecord task, DateTimeOffset now)
    {
        var span = (task.EndedAt ?? now) - task.StartedAt;
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span.TotalHours >= 1 ? $"{(int)span.TotalHours}:{span:mm\\:ss}" : $"{(int)span.TotalMinutes}:{span:ss}";
    }

    public static string Target(TaskRecord task) => $"{task.TargetType} {task.TargetName ?? task.TargetId}";

    public static string Status(TaskRecord task) => task.Status switch
    {
        TaskState.Succeeded => "OK",
        TaskState.Failed => "Failed",
        _ => task.Progress is { } progress ? $"{progress:P0}" : "Running",
    };

    public static Color ColorOf(TaskState state) => state switch
    {
        TaskState.Succeeded => Color.Success,
        TaskState.Failed => Color.Error,
        _ => Color.Info,
    };

    public static string Started(TaskRecord task) => task.StartedAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss");
}
