using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace WebVirt.Web.Inventory;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the model without starting the panel.
/// It never opens the database.
/// </summary>
internal sealed class WebVirtDbContextDesignFactory : IDesignTimeDbContextFactory<WebVirtDbContext>
{
    public WebVirtDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<WebVirtDbContext>().UseSqlite(InventoryOptions.DefaultConnectionString).Options);
}
