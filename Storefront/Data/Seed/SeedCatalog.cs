using EcomGo.Storefront.Data.Seed.Catalog;
using EcomGo.Storefront.Data.Seed.Promotions;
using EcomGo.Storefront.Data.Seed.Reviews;
using EcomGo.Storefront.Data.Seed.Shoppers;
using EcomGo.Storefront.Data.Seed.Text;

namespace EcomGo.Storefront.Data.Seed;

/// <summary>
/// Entry point for the demo shop's seed data. <see cref="Create"/> is pure and deterministic: every part
/// uses its own fixed-seed <see cref="Random"/> (so tweaking reviews doesn't reshuffle products), collections
/// are built in a stable order, and no wall-clock time is read. Dates are offsets from <see cref="SeedData.ReferenceDate"/>.
/// </summary>
public static class SeedCatalog
{
    /// <summary>Roughly how many reviews to generate in total (shopper-written ones count toward it).</summary>
    public const int TargetReviewCount = 2400;

    // Separate seeds per stage keep the stages independent of each other's random draws.
    private const int ProductSeed = 20261101;
    private const int ShopperSeed = 5150;
    private const int HistorySeed = 8088;
    private const int ReviewSeed = 4242;

    public static SeedData Create()
    {
        var categories = CategoryProfiles.All;
        var makers = Manufacturers.All;

        var catalog = new ProductFactory(new Random(ProductSeed)).Build(categories, makers);
        var shoppers = ShopperRoster.Build(categories, makers, new Random(ShopperSeed));

        var history = new ShopperHistory(catalog, new Random(HistorySeed));
        var interactions = shoppers.SelectMany(history.Generate).ToList();

        var reviews = WriteReviews(catalog, shoppers, interactions, new Random(ReviewSeed));
        var promotions = PromotionPlanner.Build(catalog, makers);

        return new SeedData(
            Categories: [.. categories.Select(c => new SeedCategory(c.Id, c.Name, c.Slug, c.Description))],
            Manufacturers: [.. makers.Select((m, i) => new SeedManufacturer(i + 1, m.Name, m.Country, m.Founded, m.Description, m.Website))],
            Products: [.. catalog.Select(i => i.Product)],
            Promotions: promotions,
            Shoppers: [.. shoppers.Select(s => s.Shopper)],
            Reviews: reviews,
            Interactions: interactions);
    }

    private static List<SeedReview> WriteReviews(List<CatalogItem> catalog, List<ShopperProfile> shoppers,
        List<SeedInteraction> interactions, Random rng)
    {
        // Cap any generated sentence at 1% of reviews; titles are short, so they may repeat a little more.
        var writer = new ReviewWriter(rng, maxSentenceUses: TargetReviewCount / 100, maxTitleUses: TargetReviewCount / 40);
        var byId = catalog.ToDictionary(i => i.Id);
        var drafts = new List<ReviewDraft>(TargetReviewCount + 8);

        // 1. Shoppers review about half of what they rated, with the same star rating, so reviews link to real purchases.
        foreach (var rating in interactions.Where(i => i.Kind == InteractionKind.Rating))
        {
            if (!rng.Chance(0.55)) continue;
            var shopper = shoppers[rating.ShopperId - 1].Shopper;
            drafts.Add(writer.Write(byId[rating.ProductId], rating.Value, shopper.Id, shopper.DisplayName, rating.DaysAgo));
        }

        // 2. Hostile-looking reviews that must be treated as data (prompt injection, HTML/script).
        drafts.AddRange(ReviewInjections.Create(catalog));

        // 3. Older, anonymous customers fill up the rest; popular products attract more reviews.
        var weights = catalog.Select(i => i.Popularity).ToList();
        while (drafts.Count < TargetReviewCount)
        {
            var item = catalog[rng.PickWeighted(weights)];
            var sentiment = writer.SentimentFor(item.Quality);
            var daysAgo = 1 + (int)(Math.Pow(rng.NextDouble(), 1.5) * 900);
            drafts.Add(writer.Write(item, writer.RatingFor(sentiment), null, writer.AnonymousName(), daysAgo));
        }

        // Stable order for ids: by product, oldest review first.
        return
        [
            .. drafts
                .OrderBy(d => d.ProductId).ThenByDescending(d => d.DaysAgo).ThenBy(d => d.Text, StringComparer.Ordinal)
                .Select((d, i) => new SeedReview(i + 1, d.ProductId, d.ShopperId, d.AuthorName, d.Rating, d.Title, d.Text, d.Sentiment, d.DaysAgo)),
        ];
    }
}
