using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Pgvector;

#nullable disable

namespace EcomGo.Recommender.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "recs");

            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:vector", ",,");

            migrationBuilder.CreateTable(
                name: "ProductVectors",
                schema: "recs",
                columns: table => new
                {
                    ProductId = table.Column<int>(type: "integer", nullable: false),
                    Embedding = table.Column<Vector>(type: "vector(384)", nullable: false),
                    Model = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    ContentDigest = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProductVectors", x => x.ProductId);
                });

            migrationBuilder.CreateTable(
                name: "ShopperProfiles",
                schema: "recs",
                columns: table => new
                {
                    ShopperKey = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Embedding = table.Column<Vector>(type: "vector(384)", nullable: false),
                    InteractionCount = table.Column<int>(type: "integer", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ShopperProfiles", x => x.ShopperKey);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ProductVectors_Embedding",
                schema: "recs",
                table: "ProductVectors",
                column: "Embedding")
                .Annotation("Npgsql:IndexMethod", "hnsw")
                .Annotation("Npgsql:IndexOperators", new[] { "vector_cosine_ops" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ProductVectors",
                schema: "recs");

            migrationBuilder.DropTable(
                name: "ShopperProfiles",
                schema: "recs");
        }
    }
}
