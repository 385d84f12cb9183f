namespace WebVirt.Web.Clones;

/// <summary>POST /api/v1/vms/{id}/clone. <see cref="Linked"/> needs a template as the source.</summary>
public sealed record CloneVmRequest
{
    public string? Name { get; init; }
    public bool Linked { get; init; }
    public string? Description { get; init; }
}
