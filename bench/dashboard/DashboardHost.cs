using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;
using WebVirt.Web.Components.Layout;

namespace WebVirt.Bench.Dashboard;

/// <summary>
/// What a circuit on "/" renders besides the app bar: the popover provider, the navigation tree (it lists every
/// VM too) and the dashboard page.
/// </summary>
internal sealed class DashboardHost : ComponentBase
{
    [Parameter]
    public Action? Rendered { get; set; }

    /// <summary>False to leave the navigation tree out and measure the dashboard page alone.</summary>
    [Parameter]
    public bool WithNavigation { get; set; } = true;

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenComponent<MudPopoverProvider>(0);
        builder.CloseComponent();
        if (WithNavigation)
        {
            builder.OpenComponent<NavTree>(1);
            builder.CloseComponent();
        }

        builder.OpenComponent<ProbedDashboard>(2);
        builder.AddComponentParameter(3, nameof(ProbedDashboard.Rendered), Rendered);
        builder.CloseComponent();
    }
}
