using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebVirt.Web.Inventory.Migrations
{
    /// <inheritdoc />
    public partial class DiskActions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ReadBytesPerSecond",
                table: "Disks",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ReadIops",
                table: "Disks",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "WriteBytesPerSecond",
                table: "Disks",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "WriteIops",
                table: "Disks",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ReadBytesPerSecond",
                table: "Disks");

            migrationBuilder.DropColumn(
                name: "ReadIops",
                table: "Disks");

            migrationBuilder.DropColumn(
                name: "WriteBytesPerSecond",
                table: "Disks");

            migrationBuilder.DropColumn(
                name: "WriteIops",
                table: "Disks");
        }
    }
}
