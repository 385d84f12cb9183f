using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebVirt.Web.Inventory.Migrations
{
    /// <inheritdoc />
    public partial class VmReportSequence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ReportSequence",
                table: "Vms",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ReportSequence",
                table: "Vms");
        }
    }
}
