using EcomGo.IntegrationTests.Infrastructure;

namespace EcomGo.IntegrationTests.Storefront;

/// <summary>
/// Product page views are recorded off the request path (buffered, written in batches): each view still becomes
/// one interaction (and its outbox event) shortly after the page was served.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ProductViewTests(AppFixture fixture)
{
    [Fact]
    public async Task Each_product_page_view_is_recorded_once_shortly_after_the_page_is_served()
    {
        using var shopper = await StorefrontClient.SignedInAsync(fixture, "sofia.alvarez@demo.ecomgo.local");
        await using var db = await Db.OpenAsync(fixture);
        var productId = (int)await db.ScalarAsync("""SELECT max("Id") FROM storefront."Products" """);
        const string countViews = """SELECT count(*) FROM storefront."Interactions" WHERE "UserId" = $1 AND "ProductId" = $2 AND "Kind" = 'View'""";
        var before = await db.ScalarAsync(countViews, shopper.UserId!, productId);

        for (var i = 0; i < 3; i++)
        {
            var page = await shopper.Http.GetAsync($"/products/{productId}");
            Assert.True(page.IsSuccessStatusCode, $"product page: {(int)page.StatusCode}");
        }

        var recorded = before;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (recorded < before + 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            recorded = await db.ScalarAsync(countViews, shopper.UserId!, productId);
        }

        Assert.Equal(before + 3, recorded);
        // And each of them became an interaction-recorded event in the outbox.
        Assert.Equal(recorded, await db.ScalarAsync("""
            SELECT count(*) FROM storefront."Outbox" o JOIN storefront."Interactions" i ON (o."Payload"::jsonb ->> 'interactionId')::bigint = i."Id"
            WHERE o."EventType" = 'interaction-recorded.v1' AND i."UserId" = $1 AND i."ProductId" = $2 AND i."Kind" = 'View'
            """, shopper.UserId!, productId));
    }
}
