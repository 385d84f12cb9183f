namespace WebVirt.Rules.Definitions;

/// <summary>Thrown when a VM definition cannot safely become a QEMU command line.</summary>
public sealed class InvalidDefinitionException(IReadOnlyList<DefinitionError> errors)
    : Exception("Invalid VM definition: " + string.Join("; ", errors))
{
    public IReadOnlyList<DefinitionError> Errors { get; } = errors;
}
