using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebVirt.Web.Inventory.Migrations
{
    /// <inheritdoc />
    public partial class PendingDeletion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "PendingDeletion",
                table: "Vms",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "PendingDeletionRemovesDisks",
                table: "Vms",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PendingDeletion",
                table: "Vms");

            migrationBuilder.DropColumn(
                name: "PendingDeletionRemovesDisks",
                table: "Vms");
        }
    }
}
