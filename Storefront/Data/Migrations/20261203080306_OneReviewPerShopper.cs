using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EcomGo.Storefront.Data.Migrations
{
    /// <inheritdoc />
    public partial class OneReviewPerShopper : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The old check-then-insert could let a race store a second review of the same product by the same shopper:
            // keep each shopper's first one (and drop the later ones' sentiment copies) so the unique index can be built.
            migrationBuilder.Sql("""
                DELETE FROM storefront."ReviewAnalyses" a
                USING storefront."Reviews" r
                WHERE a."ReviewId" = r."Id" AND r."UserId" IS NOT NULL
                  AND EXISTS (SELECT 1 FROM storefront."Reviews" o WHERE o."ProductId" = r."ProductId" AND o."UserId" = r."UserId" AND o."Id" < r."Id");
                DELETE FROM storefront."Reviews" r
                WHERE r."UserId" IS NOT NULL
                  AND EXISTS (SELECT 1 FROM storefront."Reviews" o WHERE o."ProductId" = r."ProductId" AND o."UserId" = r."UserId" AND o."Id" < r."Id");
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Reviews_ProductId_UserId",
                schema: "storefront",
                table: "Reviews",
                columns: new[] { "ProductId", "UserId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Reviews_ProductId_UserId",
                schema: "storefront",
                table: "Reviews");
        }
    }
}
