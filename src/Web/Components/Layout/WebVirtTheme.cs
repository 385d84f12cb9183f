using MudBlazor;

namespace WebVirt.Web.Components.Layout;

/// <summary>The panel's colours, shared by the interactive layout and the static account pages.</summary>
internal static class WebVirtTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f6feb",
            Secondary = "#6e40c9",
            AppbarBackground = "#1b2533",
            AppbarText = "#ffffff",
            Background = "#f4f6fa",
            DrawerBackground = "#ffffff",
            DrawerText = "#24292f",
            Success = "#1a7f37",
            Error = "#cf222e",
            Warning = "#bf8700",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#58a6ff",
            Secondary = "#a371f7",
            AppbarBackground = "#161b22",
            Background = "#0d1117",
            Surface = "#161b22",
            DrawerBackground = "#11161d",
            Success = "#3fb950",
            Error = "#f85149",
            Warning = "#d29922",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px", DrawerWidthLeft = "260px" },
    };
}
