using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace WebVirt.Web.Inventory;

/// <summary>Fails start-up with a clear message when the database settings cannot work.</summary>
internal sealed class InventoryOptionsValidator : IValidateOptions<InventoryOptions>
{
    public ValidateOptionsResult Validate(string? name, InventoryOptions options)
    {
        var failures = new List<string>();
        try
        {
            var builder = new SqliteConnectionStringBuilder(options.ConnectionString);
            if (string.IsNullOrWhiteSpace(builder.DataSource))
            {
                failures.Add($"{InventoryOptions.ConnectionStringKey} names no database file (Data Source=…).");
            }
        }
        catch (Exception error) when (error is ArgumentException or FormatException or InvalidOperationException)
        {
            failures.Add($"{InventoryOptions.ConnectionStringKey} is not a valid SQLite connection string: {error.Message}");
        }

        if (options.BusyTimeout <= TimeSpan.Zero || options.BusyTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{InventoryOptions.SectionName}:BusyTimeout must be between 0 and 10 minutes, not {options.BusyTimeout}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
