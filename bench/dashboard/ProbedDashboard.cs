using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using WebVirt.Web.Components.Pages.Dashboard;

namespace WebVirt.Bench.Dashboard;

/// <summary>The real dashboard page, telling the benchmark each time it has rendered (its render tree is built).</summary>
internal sealed class ProbedDashboard : DashboardPage
{
    [Parameter]
    public Action? Rendered { get; set; }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        base.BuildRenderTree(builder);
        Rendered?.Invoke();
    }
}
