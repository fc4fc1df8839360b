using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace EcomGo.ReviewAnalyzer.Data.Migrations
{
    /// <inheritdoc />
    public partial class ProvenanceAspectsOutbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Aspects",
                schema: "reviews",
                table: "Sentiments",
                type: "jsonb",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "Classifier",
                schema: "reviews",
                table: "Sentiments",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ModelDigest",
                schema: "reviews",
                table: "Sentiments",
                type: "character varying(80)",
                maxLength: 80,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ReanalysisRequestedAt",
                schema: "reviews",
                table: "Sentiments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<List<string>>(
                name: "Criticised",
                schema: "reviews",
                table: "ProductOpinions",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'::text[]");

            migrationBuilder.AddColumn<List<string>>(
                name: "Praised",
                schema: "reviews",
                table: "ProductOpinions",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'::text[]");

            migrationBuilder.CreateTable(
                name: "DeletedReviews",
                schema: "reviews",
                columns: table => new
                {
                    ReviewId = table.Column<int>(type: "integer", nullable: false),
                    ProductId = table.Column<int>(type: "integer", nullable: false),
                    DeletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeletedReviews", x => x.ReviewId);
                });

            migrationBuilder.CreateTable(
                name: "Outbox",
                schema: "reviews",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    EventType = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Payload = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    LastError = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Outbox", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Sentiments_ReanalysisRequestedAt",
                schema: "reviews",
                table: "Sentiments",
                column: "ReanalysisRequestedAt",
                filter: "\"ReanalysisRequestedAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Outbox_Unsent",
                schema: "reviews",
                table: "Outbox",
                column: "Id",
                filter: "\"SentAt\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DeletedReviews",
                schema: "reviews");

            migrationBuilder.DropTable(
                name: "Outbox",
                schema: "reviews");

            migrationBuilder.DropIndex(
                name: "IX_Sentiments_ReanalysisRequestedAt",
                schema: "reviews",
                table: "Sentiments");

            migrationBuilder.DropColumn(
                name: "Aspects",
                schema: "reviews",
                table: "Sentiments");

            migrationBuilder.DropColumn(
                name: "Classifier",
                schema: "reviews",
                table: "Sentiments");

            migrationBuilder.DropColumn(
                name: "ModelDigest",
                schema: "reviews",
                table: "Sentiments");

            migrationBuilder.DropColumn(
                name: "ReanalysisRequestedAt",
                schema: "reviews",
                table: "Sentiments");

            migrationBuilder.DropColumn(
                name: "Criticised",
                schema: "reviews",
                table: "ProductOpinions");

            migrationBuilder.DropColumn(
                name: "Praised",
                schema: "reviews",
                table: "ProductOpinions");
        }
    }
}
