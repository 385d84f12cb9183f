using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Web.Tasks;
using WebVirt.Web.Tests.Inventory;

namespace WebVirt.Web.Tests.Tasks;

public sealed class AuditLogTests
{
    [Fact]
    public async Task Write_StoresTheEntryWithoutATask()
    {
        await using var database = await InventoryDatabase.CreateAsync();
        var audit = database.Services.GetRequiredService<AuditLog>();

        await audit.WriteAsync("mallory", "user.sign-in", "user", "mallory", "wrong password", success: false);

        await using var context = await database.OpenAsync();
        var entry = await context.AuditEntries.SingleAsync();
        Assert.Equal(("mallory", "user.sign-in", "user", "mallory", "wrong password", false), (entry.UserName, entry.Action, entry.TargetType, entry.TargetId, entry.Details, entry.Success));
        Assert.Null(entry.TaskId);
        Assert.Equal(database.Clock.GetUtcNow(), entry.At);
    }
}
