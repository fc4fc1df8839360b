using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EcomGo.Recommender.Data.Migrations
{
    /// <inheritdoc />
    public partial class RecommendationService : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Model",
                schema: "recs",
                table: "ShopperProfiles",
                type: "character varying(128)",
                maxLength: 128,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "CategoryId",
                schema: "recs",
                table: "ProductVectors",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "CategoryName",
                schema: "recs",
                table: "ProductVectors",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "Dimensions",
                schema: "recs",
                table: "ProductVectors",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Name",
                schema: "recs",
                table: "ProductVectors",
                type: "character varying(300)",
                maxLength: 300,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "SeenAt",
                schema: "recs",
                table: "ProductVectors",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<int>(
                name: "Stock",
                schema: "recs",
                table: "ProductVectors",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "Interactions",
                schema: "recs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false),
                    ShopperKey = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    ProductId = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Value = table.Column<int>(type: "integer", nullable: false),
                    OccurredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Interactions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SessionLinks",
                schema: "recs",
                columns: table => new
                {
                    SessionId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UserId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    LinkedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SessionLinks", x => x.SessionId);
                });

            migrationBuilder.CreateTable(
                name: "SyncCursors",
                schema: "recs",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Position = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncCursors", x => x.Name);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Interactions_OccurredAt",
                schema: "recs",
                table: "Interactions",
                column: "OccurredAt");

            migrationBuilder.CreateIndex(
                name: "IX_Interactions_ProductId_OccurredAt",
                schema: "recs",
                table: "Interactions",
                columns: new[] { "ProductId", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Interactions_ShopperKey_OccurredAt",
                schema: "recs",
                table: "Interactions",
                columns: new[] { "ShopperKey", "OccurredAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Interactions",
                schema: "recs");

            migrationBuilder.DropTable(
                name: "SessionLinks",
                schema: "recs");

            migrationBuilder.DropTable(
                name: "SyncCursors",
                schema: "recs");

            migrationBuilder.DropColumn(
                name: "Model",
                schema: "recs",
                table: "ShopperProfiles");

            migrationBuilder.DropColumn(
                name: "CategoryId",
                schema: "recs",
                table: "ProductVectors");

            migrationBuilder.DropColumn(
                name: "CategoryName",
                schema: "recs",
                table: "ProductVectors");

            migrationBuilder.DropColumn(
                name: "Dimensions",
                schema: "recs",
                table: "ProductVectors");

            migrationBuilder.DropColumn(
                name: "Name",
                schema: "recs",
                table: "ProductVectors");

            migrationBuilder.DropColumn(
                name: "SeenAt",
                schema: "recs",
                table: "ProductVectors");

            migrationBuilder.DropColumn(
                name: "Stock",
                schema: "recs",
                table: "ProductVectors");
        }
    }
}
