namespace WebVirt.Web.Vms;

/// <summary>The outcome of one power action over several VMs: each VM's result, by VM id, in the order asked.</summary>
internal sealed record BulkPowerResult(PowerAction Action, IReadOnlyList<(Guid VmId, string VmName, OperationResult Result)> Results)
{
    public int Succeeded => Results.Count(r => r.Result.Succeeded);

    public int Failed => Results.Count - Succeeded;

    /// <summary>One line for a snackbar: how many worked, and why the first failures did not.</summary>
    public string Summary
    {
        get
        {
            var verb = Action.ToString();
            var head = $"{verb}: {Succeeded} of {Results.Count} VM{(Results.Count == 1 ? "" : "s")} done";
            var failures = Results.Where(r => !r.Result.Succeeded).Take(3).Select(r => $"{r.VmName}: {r.Result.Message}").ToList();
            return failures.Count == 0 ? $"{head}." : $"{head}; {Failed} failed ({string.Join("; ", failures)}{(Failed > failures.Count ? "; …" : "")}).";
        }
    }
}
