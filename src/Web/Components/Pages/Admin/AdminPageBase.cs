using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;
using WebVirt.Web.Permissions.Administration;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Components.Pages.Admin;

/// <summary>
/// What every administration page shares: the gate (Permissions.Modify or Sys.Modify on /; others get a
/// notice, and the server checks every change again), the acting user, results shown as snackbars, and a
/// reload when access changes anywhere (another administrator's edit).
/// </summary>
public abstract class AdminPageBase : ComponentBase, IDisposable
{
    [Inject]
    internal PermissionService Permissions { get; set; } = default!;

    [Inject]
    internal AccessAdministration Access { get; set; } = default!;

    [Inject]
    internal InventoryNotifier Notifier { get; set; } = default!;

    [Inject]
    internal ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    internal IDialogService Dialogs { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected bool Allowed { get; private set; }

    protected bool Loaded { get; private set; }

    protected ClaimsPrincipal User { get; private set; } = new();

    protected override async Task OnInitializedAsync()
    {
        User = (await AuthenticationState).User;
        Allowed = await Permissions.IsAdministratorAsync(User);
        if (Allowed)
        {
            Notifier.AccessChanged += OnAccessChanged;
            await LoadAsync();
        }

        Loaded = true;
    }

    /// <summary>Reads what the page shows.</summary>
    protected abstract Task LoadAsync();

    /// <summary>Shows the outcome and reloads after a success; true when it succeeded.</summary>
    internal async Task<bool> ShowAsync(OperationResult result)
    {
        Snackbar.Add(result.Message, result.Succeeded ? Severity.Success : Severity.Error);
        if (result.Succeeded)
        {
            await LoadAsync();
        }

        return result.Succeeded;
    }

    protected async Task<bool> ConfirmAsync(string title, string message, string yes) =>
        await Dialogs.ShowMessageBoxAsync(title, message, yesText: yes, cancelText: "Cancel") == true;

    private void OnAccessChanged(Guid unused) => _ = InvokeAsync(async () =>
    {
        try
        {
            await LoadAsync();
            StateHasChanged();
        }
        catch (Exception e)
        {
            await DispatchExceptionAsync(e);
        }
    });

    /// <summary>Unsubscribes what a page subscribed to besides access changes.</summary>
    protected virtual void OnDispose()
    {
    }

    public void Dispose()
    {
        Notifier.AccessChanged -= OnAccessChanged;
        OnDispose();
        GC.SuppressFinalize(this);
    }
}
