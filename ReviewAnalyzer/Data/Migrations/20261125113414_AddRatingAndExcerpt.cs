using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EcomGo.ReviewAnalyzer.Data.Migrations
{
    /// <inheritdoc />
    public partial class AddRatingAndExcerpt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Excerpt",
                schema: "reviews",
                table: "Sentiments",
                type: "character varying(400)",
                maxLength: 400,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "Rating",
                schema: "reviews",
                table: "Sentiments",
                type: "integer",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Excerpt",
                schema: "reviews",
                table: "Sentiments");

            migrationBuilder.DropColumn(
                name: "Rating",
                schema: "reviews",
                table: "Sentiments");
        }
    }
}
