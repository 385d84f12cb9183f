namespace WebVirt.Web.Components.Pages.Create;

/// <summary>The guest family the wizard picks defaults for.</summary>
public enum OsType
{
    Linux,
    Windows,
    Other,
}
