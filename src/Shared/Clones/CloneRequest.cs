using WebVirt.Shared.Vms;

namespace WebVirt.Shared.Clones;

/// <summary>
/// Clone VM <paramref name="SourceUuid"/> (stopped, or a template) into <paramref name="Target"/>: a new UUID, name
/// and MACs, and for each source disk a disk of the same id at a new path. <paramref name="Linked"/> makes
/// qcow2 overlays on a template's disks instead of full copies; progress goes to task <paramref name="TaskId"/>.
/// </summary>
public sealed record CloneRequest(Guid SourceUuid, VmDefinition Target, bool Linked, Guid? TaskId);
