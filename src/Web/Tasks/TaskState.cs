namespace WebVirt.Web.Tasks;

public enum TaskState
{
    Running,
    Succeeded,
    Failed,
}
