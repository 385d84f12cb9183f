using System.Reflection;
using Bunit;
using Microsoft.AspNetCore.Components.Web.Virtualization;

namespace WebVirt.Web.Tests.Components.Layout;

/// <summary>
/// Plays the browser's part for the <see cref="Virtualize{TItem}"/> lists of a rendered component: bUnit's own stand-in
/// reports a container a billion pixels tall (every item renders); this one reports nothing until told, then a drawer
/// of a given height scrolled to the top or to the end, through the callbacks Blazor's script calls.
/// </summary>
internal sealed class DrawerViewport
{
    private const string Init = "Blazor._internal.Virtualize.init";
    private readonly BunitContext _context;

    public DrawerViewport(BunitContext context)
    {
        _context = context;

        // The latest handler for an identifier wins over bUnit's built-in one.
        context.JSInterop.SetupVoid(Init, _ => true).SetVoidResult();
    }

    /// <summary>Each virtualized list sees <paramref name="height"/> pixels of itself, from its start or up to its end.</summary>
    public Task ShowAsync<T>(IRenderedComponent<T> component, float height, bool atEnd)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        component.InvokeAsync(() =>
        {
            foreach (var invocation in _context.JSInterop.Invocations[Init])
            {
                // The first argument is DotNetObjectReference<VirtualizeJsInterop>; its callbacks take (spacerSize,
                // spacerSeparation, containerSize): an empty spacer on the visible side, the items rendered so far between them.
                var reference = invocation.Arguments[0]!;
                var callbacks = reference.GetType().GetProperty("Value", BindingFlags.Public | BindingFlags.Instance)!.GetValue(reference)!;
                var method = callbacks.GetType().GetMethod(atEnd ? "OnSpacerAfterVisible" : "OnSpacerBeforeVisible")
                    ?? throw new InvalidOperationException("Blazor's Virtualize callbacks have changed: update DrawerViewport.");
                method.Invoke(callbacks, [0f, 0f, height]);
            }
        });
}
