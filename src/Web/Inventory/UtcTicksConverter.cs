using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace WebVirt.Web.Inventory;

/// <summary>
/// Stores a <see cref="DateTimeOffset"/> as its UTC ticks. SQLite has no date type: EF Core's default
/// TEXT form keeps the offset, so comparing or ordering it in SQL is refused (or would sort by local time);
/// an integer of UTC ticks orders by instant and keeps full precision. Values read back carry offset zero.
/// </summary>
internal sealed class UtcTicksConverter()
    : ValueConverter<DateTimeOffset, long>(value => value.UtcTicks, ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
