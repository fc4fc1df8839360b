using EcomGo.ServiceDefaults.Contracts;
using EcomGo.Storefront.Data;
using Microsoft.EntityFrameworkCore;

namespace EcomGo.Storefront.Services;

/// <summary>
/// Asks the Recommender first; when it does not answer (down, slow, an error) or returns too few products, fills up
/// from simple local rules so the shop's shelves are never empty. Every shelf says who answered, per item and overall.
/// </summary>
public sealed class RecommendationService(
    StorefrontDbContext db, RecommenderClient recommender, ICatalogService catalog, TimeProvider time) : IRecommendationService
{
    private const int MaxCount = 50;
    private static readonly TimeSpan s_popularWindow = TimeSpan.FromDays(30);

    public async Task<RecommendationShelf> GetForShopperAsync(ShopperIdentity shopper, int count, CancellationToken cancellationToken = default)
    {
        count = Math.Clamp(count, 1, MaxCount);
        if (shopper.UserId is null && shopper.SessionId is null)
        {
            return await GetPopularAsync(count, cancellationToken);
        }

        // The key is always the caller's own (signed-in user, else this browser's session): never taken from the request.
        var remote = await recommender.GetForShopperAsync(shopper.Key, count, cancellationToken);
        return await CompleteAsync(remote, count, [], ct => LocalForShopperAsync(shopper, count, ct), cancellationToken);
    }

    public async Task<RecommendationShelf> GetPopularAsync(int count, CancellationToken cancellationToken = default)
    {
        count = Math.Clamp(count, 1, MaxCount);
        var remote = await recommender.GetPopularAsync(count, cancellationToken);
        return await CompleteAsync(remote, count, [], ct => LocalPopularAsync(count, [], ct), cancellationToken);
    }

    public async Task<RecommendationShelf> GetSimilarAsync(int productId, int count, CancellationToken cancellationToken = default)
    {
        count = Math.Clamp(count, 1, MaxCount);
        var remote = await recommender.GetSimilarAsync(productId, count, cancellationToken);
        return await CompleteAsync(remote, count, [productId], ct => LocalSimilarAsync(productId, count, ct), cancellationToken);
    }

    public async Task<RecommendationShelf> GetColdStartAsync(IReadOnlyList<int> productIds, string? text, int count, CancellationToken cancellationToken = default)
    {
        count = Math.Clamp(count, 1, MaxCount);
        var picks = productIds.Distinct().Take(20).ToList();
        var remote = await recommender.ColdStartAsync(new ColdStartRequest(picks, string.IsNullOrWhiteSpace(text) ? null : text.Trim(), count), cancellationToken);
        return await CompleteAsync(remote, count, picks, async ct =>
        {
            // Locally: products like the first few picks, then what is popular.
            var similar = new List<int>();
            foreach (var pick in picks.Take(3))
            {
                similar.AddRange(await LocalSimilarAsync(pick, count, ct));
            }

            return [.. similar.Concat(await LocalPopularAsync(count, picks, ct)).Distinct()];
        }, cancellationToken);
    }

    public async Task<RecommendationShelf> GetSemanticMatchesAsync(string text, int count, IReadOnlyCollection<int> exclude,
        CancellationToken cancellationToken = default)
    {
        count = Math.Clamp(count, 1, MaxCount);
        var remote = await recommender.SearchAsync(text, count + exclude.Count, cancellationToken);
        // No local stand-in: full-text search already ran, and guessing at meaning is exactly what the Recommender adds.
        return await CompleteAsync(remote, count, exclude, _ => Task.FromResult(new List<int>()), cancellationToken);
    }

    /// <summary>
    /// The Recommender's items first (in stock, not excluded), then local ones up to <paramref name="count"/>. The shelf
    /// counts as the Recommender's when it contributed anything.
    /// </summary>
    private async Task<RecommendationShelf> CompleteAsync(RecommendationList? remote, int count, IReadOnlyCollection<int> exclude,
        Func<CancellationToken, Task<List<int>>> fallback, CancellationToken cancellationToken)
    {
        var remoteItems = (remote?.Items ?? []).Where(i => !exclude.Contains(i.ProductId)).DistinctBy(i => i.ProductId).Take(count).ToList();
        var products = (await catalog.GetProductsAsync([.. remoteItems.Select(i => i.ProductId)], cancellationToken)).ToDictionary(p => p.Id);
        var items = remoteItems
            .Where(i => products.TryGetValue(i.ProductId, out var p) && p.Stock > 0)
            .Select(i => new RecommendedProduct(products[i.ProductId], i.Reason, RecommendationSource.Recommender))
            .ToList();

        if (items.Count < count)
        {
            var have = items.Select(i => i.Product.Id).Concat(exclude).ToHashSet();
            var localIds = (await fallback(cancellationToken)).Where(id => have.Add(id)).Take(count - items.Count).ToList();
            items.AddRange((await catalog.GetProductsAsync(localIds, cancellationToken))
                .Select(p => new RecommendedProduct(p, null, RecommendationSource.Fallback)));
        }

        var source = items.Any(i => i.Source == RecommendationSource.Recommender) ? RecommendationSource.Recommender : RecommendationSource.Fallback;
        return new RecommendationShelf(items, source, remote?.Method);
    }

    /// <summary>Most bought and interacted-with products of the last 30 days (purchases weigh most), in stock.</summary>
    private async Task<List<int>> LocalPopularAsync(int count, IReadOnlyCollection<int> exclude, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - s_popularWindow;
        var scores = await db.Interactions.AsNoTracking()
            .Where(i => i.OccurredAt >= since)
            .GroupBy(i => i.ProductId)
            .Select(g => new
            {
                ProductId = g.Key,
                Score = g.Sum(i => i.Kind == InteractionKind.Purchase ? 5 : i.Kind == InteractionKind.Cart ? 3 : i.Kind == InteractionKind.Rating ? 2 : 1),
            })
            .OrderByDescending(s => s.Score).ThenBy(s => s.ProductId)
            .Take(count + exclude.Count + 20)
            .ToListAsync(cancellationToken);
        var inStock = await InStockAsync(scores.Select(s => s.ProductId).ToList(), cancellationToken);
        var ids = scores.Select(s => s.ProductId).Where(id => inStock.Contains(id) && !exclude.Contains(id)).Take(count).ToList();

        if (ids.Count < count)
        {
            // A quiet month: fall back to the most reviewed products overall.
            var mostReviewed = await db.Reviews.AsNoTracking()
                .GroupBy(r => r.ProductId)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key)
                .Select(g => g.Key)
                .Take(count * 2 + exclude.Count)
                .ToListAsync(cancellationToken);
            ids = [.. ids.Concat(mostReviewed.Where(id => !exclude.Contains(id))).Distinct().Take(count)];
        }

        return ids;
    }

    /// <summary>Top products in the categories and brands the shopper engaged with most, minus what they already bought.</summary>
    private async Task<List<int>> LocalForShopperAsync(ShopperIdentity shopper, int count, CancellationToken cancellationToken)
    {
        var interactions = db.Interactions.AsNoTracking();
        interactions = shopper.UserId is { } userId
            ? interactions.Where(i => i.UserId == userId)
            : interactions.Where(i => i.SessionId == shopper.SessionId);
        var history = await (
                from i in interactions
                join p in db.Products on i.ProductId equals p.Id
                select new { i.ProductId, i.Kind, i.Value, p.CategoryId, p.ManufacturerId })
            .ToListAsync(cancellationToken);
        var purchased = history.Where(h => h.Kind == InteractionKind.Purchase).Select(h => h.ProductId).ToHashSet();
        if (history.Count == 0)
        {
            return await LocalPopularAsync(count, purchased, cancellationToken);
        }

        static int Weight(InteractionKind kind, int value) => kind switch
        {
            InteractionKind.Purchase => 5,
            InteractionKind.Cart => 3,
            InteractionKind.Rating => value >= 4 ? 4 : -2, // a bad rating is a signal against
            _ => 1,
        };
        var categoryWeights = history.GroupBy(h => h.CategoryId).ToDictionary(g => g.Key, g => g.Sum(h => Weight(h.Kind, h.Value)));
        var makerWeights = history.GroupBy(h => h.ManufacturerId).ToDictionary(g => g.Key, g => g.Sum(h => Weight(h.Kind, h.Value)));
        var topCategories = categoryWeights.Where(w => w.Value > 0).OrderByDescending(w => w.Value).Take(3).Select(w => w.Key).ToList();
        var topMakers = makerWeights.Where(w => w.Value > 0).OrderByDescending(w => w.Value).Take(3).Select(w => w.Key).ToList();

        var candidates = await db.Products.AsNoTracking()
            .Where(p => p.Stock > 0 && (topCategories.Contains(p.CategoryId) || topMakers.Contains(p.ManufacturerId)))
            .Select(p => new
            {
                p.Id,
                p.CategoryId,
                p.ManufacturerId,
                Rating = db.Reviews.Where(r => r.ProductId == p.Id).Average(r => (double?)r.Rating) ?? 3.0,
                Reviews = db.Reviews.Count(r => r.ProductId == p.Id),
            })
            .ToListAsync(cancellationToken);
        var ranked = candidates
            .Where(c => !purchased.Contains(c.Id))
            .OrderByDescending(c => categoryWeights.GetValueOrDefault(c.CategoryId) + makerWeights.GetValueOrDefault(c.ManufacturerId)
                                    + c.Rating * 2 + Math.Log(1 + c.Reviews))
            .ThenBy(c => c.Id)
            .Select(c => c.Id)
            .Take(count)
            .ToList();
        return ranked.Count >= count ? ranked : [.. ranked.Concat(await LocalPopularAsync(count, purchased, cancellationToken)).Distinct().Take(count)];
    }

    /// <summary>Same category, closest in price; the same manufacturer counts as a little closer.</summary>
    private async Task<List<int>> LocalSimilarAsync(int productId, int count, CancellationToken cancellationToken)
    {
        var product = await db.Products.AsNoTracking().Where(p => p.Id == productId)
            .Select(p => new { p.CategoryId, p.ManufacturerId, p.Price }).FirstOrDefaultAsync(cancellationToken);
        if (product is null)
        {
            return [];
        }

        var siblings = await db.Products.AsNoTracking()
            .Where(p => p.CategoryId == product.CategoryId && p.Id != productId && p.Stock > 0)
            .Select(p => new { p.Id, p.ManufacturerId, p.Price })
            .ToListAsync(cancellationToken);
        var basePrice = (double)Math.Max(product.Price, 0.01m);
        return
        [
            .. siblings
                .OrderBy(p => Math.Abs(Math.Log((double)Math.Max(p.Price, 0.01m) / basePrice)) - (p.ManufacturerId == product.ManufacturerId ? 0.3 : 0))
                .ThenBy(p => p.Id)
                .Select(p => p.Id)
                .Take(count),
        ];
    }

    private async Task<HashSet<int>> InStockAsync(List<int> ids, CancellationToken cancellationToken) =>
        [.. await db.Products.AsNoTracking().Where(p => ids.Contains(p.Id) && p.Stock > 0).Select(p => p.Id).ToListAsync(cancellationToken)];
}
