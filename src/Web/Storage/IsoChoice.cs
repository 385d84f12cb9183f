namespace WebVirt.Web.Storage;

/// <summary>An ISO a VM's CD-ROM can hold: where it is on the host, and how to show it.</summary>
public sealed record IsoChoice(string Path, string FileName, string PoolName, long SizeBytes);
