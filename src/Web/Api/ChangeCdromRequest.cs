namespace WebVirt.Web.Api;

/// <summary>The ISO to put into a VM's CD-ROM drive (a path in one of its host's pools); null ejects.</summary>
public sealed record ChangeCdromRequest(string? IsoPath);
