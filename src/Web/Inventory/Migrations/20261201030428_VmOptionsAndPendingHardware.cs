using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebVirt.Web.Inventory.Migrations
{
    /// <inheritdoc />
    public partial class VmOptionsAndPendingHardware : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PendingDefinitionJson",
                table: "Vms",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "StartOrder",
                table: "Vms",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "TagsJson",
                table: "Vms",
                type: "TEXT",
                nullable: false,
                defaultValue: "");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PendingDefinitionJson",
                table: "Vms");

            migrationBuilder.DropColumn(
                name: "StartOrder",
                table: "Vms");

            migrationBuilder.DropColumn(
                name: "TagsJson",
                table: "Vms");
        }
    }
}
