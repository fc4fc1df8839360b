using EcomGo.Storefront.Data.Seed.Catalog;
using EcomGo.Storefront.Data.Seed.Text;

namespace EcomGo.Storefront.Data.Seed.Shoppers;

/// <summary>
/// Generates a plausible funnel per shopper: many views (mostly in favourite categories and brands),
/// some of those added to the cart, a few carts turned into purchases, and ratings on some purchases.
/// Events are ordered in time (view before cart before purchase before rating).
/// </summary>
internal sealed class ShopperHistory(IReadOnlyList<CatalogItem> catalog, Random rng)
{
    private readonly Dictionary<int, List<CatalogItem>> _byCategory =
        catalog.GroupBy(i => i.Category.Id).ToDictionary(g => g.Key, g => g.ToList());

    private readonly Dictionary<int, List<CatalogItem>> _byMaker =
        catalog.GroupBy(i => i.Product.ManufacturerId).ToDictionary(g => g.Key, g => g.ToList());

    public List<SeedInteraction> Generate(ShopperProfile profile)
    {
        var events = new List<SeedInteraction>();
        var shopperId = profile.Shopper.Id;

        // Personas first get their signature purchases, so "Ava bought trail shoes" is always true in demos.
        foreach (var kind in profile.AnchorKinds) AddAnchor(profile, kind, events);
        // Anchored products are already bought, so the random funnel below won't cart or rate them again.
        var anchored = events.Select(e => e.ProductId).ToHashSet();

        // Views: 20-60 (personas browse more), weighted toward favourites and popular products.
        var viewCount = profile.IsPersona ? rng.Next(40, 56) : rng.Next(20, 61);
        var views = new List<(CatalogItem Item, int Day)>();
        var seen = new HashSet<(int, int)>();
        while (views.Count < viewCount)
        {
            var item = PickProduct(profile);
            var day = rng.Next(0, 120);
            if (seen.Add((item.Id, day))) views.Add((item, day));
        }
        events.AddRange(views.Select(v => new SeedInteraction(shopperId, v.Item.Id, InteractionKind.View, 1, v.Day)));

        // Carts: 3-8 distinct viewed products, preferring favourite categories.
        var distinctViews = views.Where(v => !anchored.Contains(v.Item.Id))
            .GroupBy(v => v.Item.Id).Select(g => g.OrderBy(v => v.Day).First()).ToList();
        var cartCandidates = rng.Shuffled(distinctViews)
            .OrderByDescending(v => profile.FavouriteCategories.Contains(v.Item.Category.Id) ? 1 : 0)
            .ToList();
        var cartCount = Math.Min(cartCandidates.Count, rng.Next(3, 9));
        var carts = new List<(CatalogItem Item, int Day, int Qty)>();
        foreach (var (item, viewDay) in cartCandidates.Take(cartCount))
        {
            var qty = rng.Chance(0.85) ? 1 : rng.Next(2, 4);
            var day = Math.Max(0, viewDay - rng.Next(0, 3));
            carts.Add((item, day, qty));
            events.Add(new SeedInteraction(shopperId, item.Id, InteractionKind.Cart, qty, day));
        }

        // Purchases: roughly half of the carts, at least two. Personas buy a little more so their history is rich.
        var purchaseChance = profile.Focus >= 0.9 ? 0.75 : 0.5;
        var purchases = carts.Where((_, i) => i < 2 || rng.Chance(purchaseChance)).ToList();
        var bought = new List<(CatalogItem Item, int Day)>();
        foreach (var (item, cartDay, qty) in purchases)
        {
            var day = Math.Max(0, cartDay - rng.Next(0, 2));
            bought.Add((item, day));
            events.Add(new SeedInteraction(shopperId, item.Id, InteractionKind.Purchase, rng.Chance(0.9) ? qty : 1, day));
        }

        // Ratings: most purchases get rated a few days to two weeks after delivery (never in the future).
        foreach (var (item, buyDay) in bought.Where((_, i) => i == 0 || rng.Chance(0.65)))
        {
            var day = Math.Max(0, buyDay - rng.Next(2, 15));
            events.Add(new SeedInteraction(shopperId, item.Id, InteractionKind.Rating, RatingFor(item.Quality), day));
        }

        // Chronological per shopper: oldest first, funnel order within a day.
        return [.. events.OrderByDescending(e => e.DaysAgo).ThenBy(e => e.Kind).ThenBy(e => e.ProductId)];
    }

    /// <summary>View (twice), cart, purchase and rate the best-fitting product of a kind: good quality, favourite maker, popular.</summary>
    private void AddAnchor(ShopperProfile profile, string kindNoun, List<SeedInteraction> events)
    {
        var item = catalog
            .Where(i => i.Kind.Noun == kindNoun)
            .OrderByDescending(i => i.Quality)
            .ThenByDescending(i => i.Product.ManufacturerId == profile.FavouriteManufacturerId)
            .ThenByDescending(i => i.Popularity)
            .ThenBy(i => i.Id)
            .First();
        var id = profile.Shopper.Id;
        var day = rng.Next(20, 90);
        events.Add(new SeedInteraction(id, item.Id, InteractionKind.View, 1, day + rng.Next(2, 6)));
        events.Add(new SeedInteraction(id, item.Id, InteractionKind.View, 1, day));
        events.Add(new SeedInteraction(id, item.Id, InteractionKind.Cart, 1, day));
        events.Add(new SeedInteraction(id, item.Id, InteractionKind.Purchase, 1, day));
        events.Add(new SeedInteraction(id, item.Id, InteractionKind.Rating, rng.Chance(0.7) ? 5 : 4, day - rng.Next(5, 15)));
    }

    private CatalogItem PickProduct(ShopperProfile profile)
    {
        var roll = rng.NextDouble();
        List<CatalogItem> pool;
        if (profile.FavouriteManufacturerId is int maker && roll < 0.2)
        {
            pool = _byMaker[maker];
        }
        else if (roll < profile.Focus)
        {
            // The first favourite is the strongest interest.
            var favs = profile.FavouriteCategories;
            var weights = favs.Select((_, i) => i == 0 ? 2.0 : 1.0).ToList();
            pool = _byCategory[favs[rng.PickWeighted(weights)]];
        }
        else
        {
            pool = _byCategory[rng.Pick(_byCategory.Keys.Order().ToList())];
        }
        return pool[rng.PickWeighted(pool.Select(p => p.Popularity).ToList())];
    }

    private int RatingFor(ProductQuality quality)
    {
        var roll = rng.NextDouble();
        return quality switch
        {
            ProductQuality.Good => roll < 0.6 ? 5 : roll < 0.9 ? 4 : 3,
            ProductQuality.Average => roll < 0.2 ? 5 : roll < 0.55 ? 4 : roll < 0.85 ? 3 : 2,
            _ => roll < 0.1 ? 4 : roll < 0.35 ? 3 : roll < 0.7 ? 2 : 1,
        };
    }
}
