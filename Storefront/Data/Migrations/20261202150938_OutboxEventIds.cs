using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EcomGo.Storefront.Data.Migrations
{
    /// <inheritdoc />
    public partial class OutboxEventIds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "EventId",
                schema: "storefront",
                table: "Outbox",
                type: "uuid",
                nullable: false,
                defaultValueSql: "gen_random_uuid()");

            migrationBuilder.CreateIndex(
                name: "IX_Outbox_EventId",
                schema: "storefront",
                table: "Outbox",
                column: "EventId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Outbox_EventId",
                schema: "storefront",
                table: "Outbox");

            migrationBuilder.DropColumn(
                name: "EventId",
                schema: "storefront",
                table: "Outbox");
        }
    }
}
