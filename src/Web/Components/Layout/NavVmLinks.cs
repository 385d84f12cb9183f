using WebVirt.Web.Components.Shared;

namespace WebVirt.Web.Components.Layout;

/// <summary>
/// The VM links one navigation tree has rendered (the virtualized lists' visible windows), by VM: a VM's state change
/// goes to its links alone instead of re-rendering the tree, whose nav groups would re-render every link under them. Public because components are.
/// </summary>
public sealed class NavVmLinks
{
    private readonly Dictionary<Guid, List<NavVmLink>> _rendered = [];

    public void Add(Guid vmId, NavVmLink link)
    {
        if (!_rendered.TryGetValue(vmId, out var links))
        {
            _rendered[vmId] = links = [];
        }

        links.Add(link);
    }

    public void Remove(Guid vmId, NavVmLink link)
    {
        if (_rendered.TryGetValue(vmId, out var links) && links.Remove(link) && links.Count == 0)
        {
            _rendered.Remove(vmId);
        }
    }

    /// <summary>Shows <paramref name="row"/> on the VM's rendered links (none when it is scrolled out of view).</summary>
    public void Show(VmRow row)
    {
        if (_rendered.TryGetValue(row.Id, out var links))
        {
            foreach (var link in links)
            {
                link.Show(row);
            }
        }
    }
}
