using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebVirt.Web.Inventory.Migrations
{
    /// <inheritdoc />
    public partial class TeamAccessConsolesStorage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "IsTemplate",
                table: "Vms",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

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

            migrationBuilder.AddColumn<bool>(
                name: "Encrypted",
                table: "Disks",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "ProtectedKey",
                table: "Disks",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "DarkTheme",
                table: "AspNetUsers",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AccessGroups",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false, collation: "NOCASE"),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessGroups", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AccessRoles",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false, collation: "NOCASE"),
                    PrivilegeList = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessRoles", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "BackupSchedules",
                columns: table => new
                {
                    VmId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    DailyAtMinute = table.Column<int>(type: "INTEGER", nullable: true),
                    EveryHours = table.Column<int>(type: "INTEGER", nullable: true),
                    KeepLast = table.Column<int>(type: "INTEGER", nullable: false),
                    LastRunAt = table.Column<long>(type: "INTEGER", nullable: true),
                    NextRunAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BackupSchedules", x => x.VmId);
                    table.ForeignKey(
                        name: "FK_BackupSchedules_Vms_VmId",
                        column: x => x.VmId,
                        principalTable: "Vms",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ConsoleShareLinks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    VmId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ViewOnly = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RevokedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastUsedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConsoleShareLinks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ConsoleShareLinks_Vms_VmId",
                        column: x => x.VmId,
                        principalTable: "Vms",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ResourcePools",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false, collation: "NOCASE"),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ResourcePools", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "AccessGroupMembers",
                columns: table => new
                {
                    GroupId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessGroupMembers", x => new { x.GroupId, x.UserId });
                    table.ForeignKey(
                        name: "FK_AccessGroupMembers_AccessGroups_GroupId",
                        column: x => x.GroupId,
                        principalTable: "AccessGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AccessGroupMembers_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AclEntries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Path = table.Column<string>(type: "TEXT", maxLength: 160, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", nullable: true),
                    GroupId = table.Column<Guid>(type: "TEXT", nullable: true),
                    RoleName = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false, collation: "NOCASE"),
                    Propagate = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AclEntries", x => x.Id);
                    table.CheckConstraint("CK_AclEntries_UserOrGroup", "(\"UserId\" IS NULL) <> (\"GroupId\" IS NULL)");
                    table.ForeignKey(
                        name: "FK_AclEntries_AccessGroups_GroupId",
                        column: x => x.GroupId,
                        principalTable: "AccessGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AclEntries_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PoolMembers",
                columns: table => new
                {
                    VmId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PoolName = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false, collation: "NOCASE")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PoolMembers", x => x.VmId);
                    table.ForeignKey(
                        name: "FK_PoolMembers_ResourcePools_PoolName",
                        column: x => x.PoolName,
                        principalTable: "ResourcePools",
                        principalColumn: "Name",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PoolMembers_Vms_VmId",
                        column: x => x.VmId,
                        principalTable: "Vms",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AccessGroupMembers_UserId",
                table: "AccessGroupMembers",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_AccessGroups_Name",
                table: "AccessGroups",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AclEntries_GroupId",
                table: "AclEntries",
                column: "GroupId");

            migrationBuilder.CreateIndex(
                name: "IX_AclEntries_Path_UserId_GroupId_RoleName",
                table: "AclEntries",
                columns: new[] { "Path", "UserId", "GroupId", "RoleName" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AclEntries_UserId",
                table: "AclEntries",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_BackupSchedules_NextRunAt",
                table: "BackupSchedules",
                column: "NextRunAt");

            migrationBuilder.CreateIndex(
                name: "IX_ConsoleShareLinks_TokenHash",
                table: "ConsoleShareLinks",
                column: "TokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ConsoleShareLinks_VmId",
                table: "ConsoleShareLinks",
                column: "VmId");

            migrationBuilder.CreateIndex(
                name: "IX_PoolMembers_PoolName",
                table: "PoolMembers",
                column: "PoolName");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AccessGroupMembers");

            migrationBuilder.DropTable(
                name: "AccessRoles");

            migrationBuilder.DropTable(
                name: "AclEntries");

            migrationBuilder.DropTable(
                name: "BackupSchedules");

            migrationBuilder.DropTable(
                name: "ConsoleShareLinks");

            migrationBuilder.DropTable(
                name: "PoolMembers");

            migrationBuilder.DropTable(
                name: "AccessGroups");

            migrationBuilder.DropTable(
                name: "ResourcePools");

            migrationBuilder.DropColumn(
                name: "IsTemplate",
                table: "Vms");

            migrationBuilder.DropColumn(
                name: "PendingDefinitionJson",
                table: "Vms");

            migrationBuilder.DropColumn(
                name: "StartOrder",
                table: "Vms");

            migrationBuilder.DropColumn(
                name: "TagsJson",
                table: "Vms");

            migrationBuilder.DropColumn(
                name: "Encrypted",
                table: "Disks");

            migrationBuilder.DropColumn(
                name: "ProtectedKey",
                table: "Disks");

            migrationBuilder.DropColumn(
                name: "DarkTheme",
                table: "AspNetUsers");
        }
    }
}
