using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using WebVirt.Web.Agents;
using WebVirt.Web.Tests.Inventory;

namespace WebVirt.Web.Tests.Agents;

/// <summary>When a host was last heard from: its last message, or the end of a connection, never the moment the panel noticed a broken one.</summary>
public sealed class HostContactsTests
{
    private static readonly Guid Host = Guid.NewGuid();
    private readonly ManualClock _clock = new();
    private readonly HostContacts _contacts;

    public HostContactsTests() => _contacts = new HostContacts(_clock, Options.Create(new HubOptions { ClientTimeoutInterval = TimeSpan.FromSeconds(30) }));

    [Fact]
    public void CleanClose_IsContactItself()
    {
        _contacts.Heard(Host);
        _clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(_clock.GetUtcNow(), _contacts.LastContact(Host, closedCleanly: true));
    }

    [Fact]
    public void BrokenConnection_IdleAgent_WasHeardUntilTheClientTimeoutBeforeNow()
    {
        _contacts.Heard(Host);
        _clock.Advance(TimeSpan.FromMinutes(10));

        // Keep-alives came until the timeout began; the last report was long before.
        Assert.Equal(_clock.GetUtcNow() - TimeSpan.FromSeconds(30), _contacts.LastContact(Host, closedCleanly: false));
    }

    [Fact]
    public void BrokenConnection_RightAfterAMessage_IsThatMessage()
    {
        _clock.Advance(TimeSpan.FromMinutes(1));
        _contacts.Heard(Host);
        var heard = _clock.GetUtcNow();
        _clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(heard, _contacts.LastContact(Host, closedCleanly: false));
    }
}
