namespace WebVirt.Rules.Definitions;

/// <summary>One problem with a VM definition: the field it concerns and what is wrong, in words a user can act on.</summary>
public sealed record DefinitionError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
