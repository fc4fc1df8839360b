using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EcomGo.ChatAgent.Data.Migrations
{
    /// <inheritdoc />
    public partial class ChatAgentTurns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Grounded",
                schema: "chat",
                table: "Messages",
                type: "boolean",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "InputTokens",
                schema: "chat",
                table: "Messages",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "OutputTokens",
                schema: "chat",
                table: "Messages",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProductsJson",
                schema: "chat",
                table: "Messages",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PromptVersion",
                schema: "chat",
                table: "Messages",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ToolCallsJson",
                schema: "chat",
                table: "Messages",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SummarizedThroughMessageId",
                schema: "chat",
                table: "Conversations",
                type: "bigint",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Grounded",
                schema: "chat",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "InputTokens",
                schema: "chat",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "OutputTokens",
                schema: "chat",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "ProductsJson",
                schema: "chat",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "PromptVersion",
                schema: "chat",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "ToolCallsJson",
                schema: "chat",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "SummarizedThroughMessageId",
                schema: "chat",
                table: "Conversations");
        }
    }
}
