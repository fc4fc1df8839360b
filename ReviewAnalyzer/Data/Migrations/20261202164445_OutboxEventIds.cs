using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EcomGo.ReviewAnalyzer.Data.Migrations
{
    /// <inheritdoc />
    public partial class OutboxEventIds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "EventId",
                schema: "reviews",
                table: "Outbox",
                type: "uuid",
                nullable: false,
                defaultValueSql: "gen_random_uuid()");

            migrationBuilder.CreateIndex(
                name: "IX_Outbox_EventId",
                schema: "reviews",
                table: "Outbox",
                column: "EventId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Outbox_EventId",
                schema: "reviews",
                table: "Outbox");

            migrationBuilder.DropColumn(
                name: "EventId",
                schema: "reviews",
                table: "Outbox");
        }
    }
}
