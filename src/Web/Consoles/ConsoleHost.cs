namespace WebVirt.Web.Consoles;

/// <summary>The host a console's VM runs on, as <see cref="ConsoleTargets"/> needs it.</summary>
internal sealed record ConsoleHost(Guid Id, string Name, bool IsLocal);
