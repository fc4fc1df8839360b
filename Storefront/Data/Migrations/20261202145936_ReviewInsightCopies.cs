using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EcomGo.Storefront.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReviewInsightCopies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ProductOpinions",
                schema: "storefront",
                columns: table => new
                {
                    ProductId = table.Column<int>(type: "integer", nullable: false),
                    Summary = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    PositiveCount = table.Column<int>(type: "integer", nullable: false),
                    NeutralCount = table.Column<int>(type: "integer", nullable: false),
                    NegativeCount = table.Column<int>(type: "integer", nullable: false),
                    Praised = table.Column<List<string>>(type: "text[]", nullable: false),
                    Criticised = table.Column<List<string>>(type: "text[]", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProductOpinions", x => x.ProductId);
                });

            migrationBuilder.CreateTable(
                name: "ReviewAnalyses",
                schema: "storefront",
                columns: table => new
                {
                    ReviewId = table.Column<int>(type: "integer", nullable: false),
                    ProductId = table.Column<int>(type: "integer", nullable: false),
                    Label = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Confidence = table.Column<double>(type: "double precision", nullable: false),
                    Aspects = table.Column<List<string>>(type: "text[]", nullable: false),
                    Classifier = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Model = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    AnalyzedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReviewAnalyses", x => x.ReviewId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ReviewAnalyses_ProductId",
                schema: "storefront",
                table: "ReviewAnalyses",
                column: "ProductId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ProductOpinions",
                schema: "storefront");

            migrationBuilder.DropTable(
                name: "ReviewAnalyses",
                schema: "storefront");
        }
    }
}
