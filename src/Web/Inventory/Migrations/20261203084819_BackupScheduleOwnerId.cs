using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebVirt.Web.Inventory.Migrations
{
    /// <inheritdoc />
    public partial class BackupScheduleOwnerId : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "UserId",
                table: "BackupSchedules",
                type: "TEXT",
                maxLength: 450,
                nullable: true);

            // Schedules saved before the id was recorded: their owner by name (user names are unique and never change).
            migrationBuilder.Sql(
                "UPDATE BackupSchedules SET UserId = (SELECT Id FROM AspNetUsers WHERE AspNetUsers.UserName = BackupSchedules.UserName)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "UserId",
                table: "BackupSchedules");
        }
    }
}
