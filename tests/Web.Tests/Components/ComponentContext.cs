using System.Security.Claims;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using WebVirt.Web.Auth;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;
using WebVirt.Web.Tests.Hosting;
using WebVirt.Web.Tests.Thumbnails;
using WebVirt.Web.Thumbnails;
using Microsoft.Extensions.Logging.Abstractions;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Tests.Components;

/// <summary>
/// bUnit with MudBlazor's services, loose JS interop (MudBlazor's JS calls return defaults), a popover provider
/// rendered for selects and tooltips, and, when given a panel, its real inventory and VmOperations.
/// </summary>
internal static class ComponentContext
{
    public static ClaimsPrincipal Admin { get; } = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin"), new Claim(ClaimTypes.Role, Roles.Administrator)], "test"));

    /// <summary>A context signed in as the panel's bootstrap administrator, or as the user <paramref name="userId"/> of the panel.</summary>
    public static BunitContext Create(PanelFactory? panel = null, string? userId = null)
    {
        var context = new BunitContext();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices();
        if (panel is not null)
        {
            // The panel's own services (inventory, VmOperations, storage, permissions …) stand behind bUnit's; scoped
            // ones come from one scope that lives as long as the panel.
            context.Services.AddFallbackServiceProvider(panel.Services.CreateScope().ServiceProvider);
        }
        else
        {
            // Components that show screen thumbnails get a source with no screens.
            context.Services.AddSingleton(new VmThumbnails(new FakeScreendumpSource(), TimeProvider.System, NullLogger<VmThumbnails>.Instance));
        }

        var authorization = context.AddAuthorization();
        authorization.SetAuthorized("admin");
        authorization.SetRoles(Roles.Administrator);
        if (panel is not null)
        {
            // Privileges come from ACLs on the user's id: the panel's bootstrap administrator holds Administrator on "/".
            using var db = panel.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>().CreateDbContext();
            var user = userId is null ? db.Users.Single(u => u.UserName == AdminBootstrap.AdminUserName) : db.Users.Single(u => u.Id == userId);
            authorization.SetAuthorized(user.UserName!);
            authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, user.Id));
        }

        context.Render<MudPopoverProvider>();
        return context;
    }

    /// <summary>The input element of a MudBlazor field marked with <paramref name="testId"/>.</summary>
    public static AngleSharp.Dom.IElement Input<T>(IRenderedComponent<T> component, string testId)
        where T : Microsoft.AspNetCore.Components.IComponent
    {
        var marked = component.Find($"[data-testid={testId}]");
        return marked.TagName is "INPUT" or "TEXTAREA" ? marked : marked.QuerySelector("input, textarea") ?? throw new InvalidOperationException($"No input in {testId}");
    }
}
