namespace WebVirt.Web.Tests.Security;

/// <summary>
/// A public async method of a service the Blazor pages call with the signed-in user ("VmOperations.PowerAsync"), the
/// privilege it must check, and a call of it with harmless arguments (null for <see cref="OperationExpectation.Internal"/>).
/// </summary>
internal sealed record OperationEntry(string Name, string Privilege, OperationExpectation Expectation, Func<OperationCall, Task<object?>>? Invoke)
{
    /// <summary>The VM is the target: the other pool's operator must be told it does not exist, not that it may not act.</summary>
    public bool VmScoped { get; init; }
}
