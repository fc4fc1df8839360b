using EcomGo.Recommender.Data;
using EcomGo.Recommender.Ranking;
using EcomGo.ServiceDefaults.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Npgsql;
using Pgvector;
using Pgvector.EntityFrameworkCore;

namespace EcomGo.Recommender.Services;

/// <summary>
/// Builds the lists the API serves. The personal list is the production hybrid: candidates from the vector index
/// (nearest to the profile), item-to-item co-interaction, the shopper's own purchases and recent popularity, scored
/// per signal, blended by <see cref="HybridRanker"/> (the same class the offline evaluation measures), then diversified
/// with MMR; out-of-stock products never appear and every item carries the reason of its strongest signal.
/// </summary>
public sealed class RecommendationEngine(
    RecommenderDbContext db,
    EmbeddingModel model,
    ShopperProfileBuilder profiles,
    IOptionsMonitor<HybridWeights> hybridWeights,
    IOptions<RecommenderOptions> options,
    IMemoryCache sharedScores,
    TimeProvider time)
{
    private const int MaxAnchors = 20;
    private const int MaxCoInteractionRows = 5000;

    /// <summary>A product as the engine knows it: facts for filtering and reasons, and its vector.</summary>
    private sealed record Product(int Id, string Name, int CategoryId, string CategoryName, int Stock, float[] Embedding);

    // ---- personal -------------------------------------------------------------------------------------------------

    public async Task<RecommendationList> ForShopperAsync(string shopperKey, int count, CancellationToken cancellationToken)
    {
        var history = await profiles.LoadHistoryAsync(shopperKey, cancellationToken);
        if (history.Count == 0)
        {
            return await PopularAsync(count, null, cancellationToken);
        }

        var settings = options.Value;
        var weights = hybridWeights.CurrentValue;
        var now = time.GetUtcNow();

        var profile = await db.ShopperProfiles.AsNoTracking()
            .Where(p => p.ShopperKey == shopperKey && p.Model == model.Name)
            .Select(p => p.Embedding)
            .FirstOrDefaultAsync(cancellationToken)
            ?? await profiles.ComputeAsync(history, cancellationToken);

        // What the shopper did, per product: decayed weight, strongest kind, decayed purchase count.
        var touched = history
            .GroupBy(i => i.ProductId)
            .ToDictionary(g => g.Key, g => (
                Weight: g.Sum(i => ShopperProfileBuilder.KindWeight(i.Kind, i.Value) * ShopperProfileBuilder.Decay(i.OccurredAt, now, weights.InteractionHalfLifeDays)),
                Strongest: g.OrderByDescending(i => ShopperProfileBuilder.KindWeight(i.Kind, i.Value)).First(),
                Purchases: g.Where(i => i.Kind == "purchase").Sum(i => ShopperProfileBuilder.Decay(i.OccurredAt, now, weights.InteractionHalfLifeDays))));
        var anchors = touched.Where(t => t.Value.Weight > 0).OrderByDescending(t => t.Value.Weight).Take(MaxAnchors)
            .ToDictionary(t => t.Key, t => t.Value.Weight);

        // Candidate sources.
        var nearest = profile is null ? [] : await NearestAsync(profile, settings.NearestCandidates, touched.Keys.ToHashSet(), inStockOnly: true, cancellationToken);
        var coInteraction = await CoInteractionAsync(shopperKey, anchors, cancellationToken);
        var repeat = touched.Where(t => t.Value.Purchases > 0).ToDictionary(t => t.Key, t => t.Value.Purchases);
        var popular = await PopularScoresAsync(null, settings.NearestCandidates, cancellationToken);

        var candidateIds = nearest.Select(n => n.Id)
            .Concat(coInteraction.Keys).Concat(repeat.Keys).Concat(popular.Scores.Keys).Concat(anchors.Keys)
            .ToHashSet();
        var products = await LoadProductsAsync(candidateIds, cancellationToken);
        var profileVector = profile?.ToArray();

        var candidates = new List<RankingCandidate<Product>>();
        foreach (var id in candidateIds)
        {
            // Already seen or bought: only a repeat purchase brings a product back. Out of stock: never.
            if (!products.TryGetValue(id, out var product) || product.Stock <= 0 || (touched.ContainsKey(id) && !repeat.ContainsKey(id)))
            {
                continue;
            }

            candidates.Add(new RankingCandidate<Product>(product, new ComponentScores(
                Content: profileVector is null ? 0 : Math.Max(0, VectorMath.Dot(profileVector, product.Embedding)),
                CoInteraction: coInteraction.TryGetValue(id, out var co) ? co.Score : 0,
                RepeatPurchase: repeat.GetValueOrDefault(id),
                Popularity: popular.Scores.GetValueOrDefault(id))));
        }

        // Little-known shoppers lean on what is popular; the weight fades as their history grows.
        var blend = new HybridWeights
        {
            Content = weights.Content,
            CoInteraction = weights.CoInteraction,
            RepeatPurchase = weights.RepeatPurchase,
            Popularity = weights.Popularity * (1 + 4.0 / (1 + touched.Count)),
            InteractionHalfLifeDays = weights.InteractionHalfLifeDays,
            PopularityWindowDays = weights.PopularityWindowDays,
            CandidatesPerComponent = weights.CandidatesPerComponent,
        };
        var ranked = HybridRanker.Rank(candidates, blend, count * 3);
        var chosen = Diversify(ranked.Select(r => (r.Item, r.Score, r.Reason)).ToList(), count, settings.DiversityLambda);

        var items = chosen.Select(c => new RecommendedItem(c.Item.Id, Math.Round(c.Score, 4), c.Reason switch
        {
            RankingComponent.RepeatPurchase => "you bought this before",
            RankingComponent.CoInteraction when coInteraction.TryGetValue(c.Item.Id, out var co) && products.TryGetValue(co.Anchor, out var anchor) =>
                $"shoppers who liked {anchor.Name} also liked this",
            RankingComponent.Popularity => PopularReason(c.Item, popular.Window),
            _ => ContentReason(c.Item, anchors.Keys, products, touched.ToDictionary(t => t.Key, t => t.Value.Strongest)),
        })).ToList();
        return new RecommendationList(items, "hybrid", model.Name);
    }

    private static string ContentReason(Product item, IEnumerable<int> anchorIds, IReadOnlyDictionary<int, Product> products,
        IReadOnlyDictionary<int, ShopperInteraction> strongest)
    {
        var anchor = anchorIds.Where(products.ContainsKey).Select(id => products[id])
            .MaxBy(a => VectorMath.Dot(a.Embedding, item.Embedding));
        if (anchor is null)
        {
            return "matches what you like";
        }

        var interaction = strongest[anchor.Id];
        return interaction.Kind switch
        {
            "purchase" => $"because you bought {anchor.Name}",
            "cart" => $"because you put {anchor.Name} in your cart",
            "rating" => $"because you rated {anchor.Name} {interaction.Value} stars",
            "email-click" => $"because you looked at {anchor.Name} from our email",
            InteractionStore.ChatKind => $"because you asked our assistant about {anchor.Name}",
            _ => $"because you viewed {anchor.Name}",
        };
    }

    private static string PopularReason(Product item, string window) =>
        string.IsNullOrEmpty(window) ? $"popular in {item.CategoryName}" : $"popular in {item.CategoryName} {window}";

    // ---- popular ---------------------------------------------------------------------------------------------------

    public async Task<RecommendationList> PopularAsync(int count, int? categoryId, CancellationToken cancellationToken)
    {
        var popular = await PopularScoresAsync(categoryId, count * 3, cancellationToken);
        var products = await LoadProductsAsync(popular.Scores.Keys, cancellationToken);
        var max = popular.Scores.Count == 0 ? 1 : popular.Scores.Values.Max();
        var items = popular.Scores
            .Where(s => products.TryGetValue(s.Key, out var p) && p.Stock > 0)
            .OrderByDescending(s => s.Value).ThenBy(s => s.Key)
            .Take(count)
            .Select(s => new RecommendedItem(s.Key, Math.Round(s.Value / max, 4), PopularReason(products[s.Key], popular.Window)))
            .ToList();
        return new RecommendationList(items, "popular", model.Name);
    }

    /// <summary>
    /// Interaction-weighted popularity in the most recent window that has enough of it: this week, else this month,
    /// else all time. Only products in stock with a vector of the current model count.
    /// </summary>
    /// <summary>
    /// Recent popularity is the same for every shopper and moves slowly, yet it aggregates the whole interaction log:
    /// computed once per <see cref="RecommenderOptions.SharedCacheLifetime"/> instead of on every personal list.
    /// </summary>
    private Task<(Dictionary<int, double> Scores, string Window)> PopularScoresAsync(int? categoryId, int take, CancellationToken cancellationToken) =>
        sharedScores.GetOrCreateAsync(("popular-scores", model.Name, categoryId, take), entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = options.Value.SharedCacheLifetime;
            return ComputePopularScoresAsync(categoryId, take, cancellationToken);
        });

    private async Task<(Dictionary<int, double> Scores, string Window)> ComputePopularScoresAsync(int? categoryId, int take, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var windows = new (TimeSpan? Span, string Label)[]
        {
            (options.Value.PopularWindow, "this week"),
            (TimeSpan.FromDays(30), "this month"),
            (null, ""),
        };
        Dictionary<int, double> scores = [];
        var label = "";
        foreach (var (span, windowLabel) in windows)
        {
            var since = span is { } s ? now - s : DateTimeOffset.MinValue;
            var rows = await (
                    from i in db.Interactions.AsNoTracking()
                    join v in db.ProductVectors.AsNoTracking() on i.ProductId equals v.ProductId
                    where i.OccurredAt >= since && v.Stock > 0 && v.Model == model.Name && (categoryId == null || v.CategoryId == categoryId)
                    group i by i.ProductId into g
                    select new
                    {
                        ProductId = g.Key,
                        Score = g.Sum(i => i.Kind == "purchase" ? 5.0 : i.Kind == "cart" ? 3.0 : i.Kind == "rating" ? (i.Value >= 4 ? 2.0 : 0.0) : 1.0),
                    })
                .OrderByDescending(r => r.Score).ThenBy(r => r.ProductId)
                .Take(take)
                .ToListAsync(cancellationToken);
            scores = rows.Where(r => r.Score > 0).ToDictionary(r => r.ProductId, r => r.Score);
            label = windowLabel;
            if (scores.Count >= Math.Min(take, 10))
            {
                break;
            }
        }

        return (scores, label);
    }

    // ---- similar, cold start, search ------------------------------------------------------------------------------

    /// <summary>Nearest products to one product (null when the product has no vector of the current model).</summary>
    public async Task<RecommendationList?> SimilarAsync(int productId, int count, CancellationToken cancellationToken)
    {
        var source = await db.ProductVectors.AsNoTracking()
            .Where(v => v.ProductId == productId && v.Model == model.Name)
            .Select(v => new { v.Name, v.Embedding })
            .FirstOrDefaultAsync(cancellationToken);
        if (source is null)
        {
            return null;
        }

        var nearest = await NearestAsync(source.Embedding, count, new HashSet<int> { productId }, inStockOnly: true, cancellationToken);
        var items = nearest.Select(n => new RecommendedItem(n.Id, Math.Round(n.Similarity, 4), $"similar to {source.Name}")).ToList();
        return new RecommendationList(items, "similar", model.Name);
    }

    /// <summary>Products known to the index among <paramref name="productIds"/> (for validating a cold start).</summary>
    public Task<List<int>> KnownProductsAsync(IReadOnlyCollection<int> productIds, CancellationToken cancellationToken) =>
        db.ProductVectors.AsNoTracking().Where(v => productIds.Contains(v.ProductId) && v.Model == model.Name)
            .Select(v => v.ProductId).ToListAsync(cancellationToken);

    /// <summary>A newcomer's list from a few picked products and/or a sentence about what they like.</summary>
    public async Task<RecommendationList> ColdStartAsync(IReadOnlyCollection<int> productIds, string? text, int count, CancellationToken cancellationToken)
    {
        var picks = (await LoadProductsAsync(productIds, cancellationToken)).Values.ToList();
        var textVector = string.IsNullOrWhiteSpace(text) ? null : (await model.EmbedAsync(text.Trim(), cancellationToken)).ToArray();

        var sources = picks.Select(p => p.Embedding).ToList();
        if (textVector is not null)
        {
            sources.Add(textVector);
        }

        var target = new float[EmbeddingModel.Dimensions];
        foreach (var source in sources)
        {
            for (var d = 0; d < target.Length; d++)
            {
                target[d] += source[d];
            }
        }

        var targetVector = new Vector(VectorMath.Normalized(target));
        var nearest = await NearestAsync(targetVector, Math.Max(options.Value.NearestCandidates, count * 3), picks.Select(p => p.Id).ToHashSet(), inStockOnly: true, cancellationToken);
        var chosen = Diversify(nearest.Select(n => (n, n.Similarity, RankingComponent.Content)).ToList(), count, options.Value.DiversityLambda);
        var quoted = textVector is null ? "" : Shorten(text!.Trim(), 60);

        var items = chosen.Select(c =>
        {
            var bestPick = picks.MaxBy(p => VectorMath.Dot(p.Embedding, c.Item.Embedding));
            var pickSimilarity = bestPick is null ? double.MinValue : VectorMath.Dot(bestPick.Embedding, c.Item.Embedding);
            var textSimilarity = textVector is null ? double.MinValue : VectorMath.Dot(textVector, c.Item.Embedding);
            var reason = textSimilarity > pickSimilarity ? $"matches \u201c{quoted}\u201d" : $"because you picked {bestPick!.Name}";
            return new RecommendedItem(c.Item.Id, Math.Round(c.Score, 4), reason);
        }).ToList();
        return new RecommendationList(items, "cold-start", model.Name);
    }

    /// <summary>Semantic product search: the products nearest to the query's embedding (out-of-stock ones included).</summary>
    public async Task<RecommendationList> SearchAsync(string query, int count, CancellationToken cancellationToken)
    {
        var vector = await model.EmbedAsync(query, cancellationToken);
        var nearest = await NearestAsync(vector, count, new HashSet<int>(), inStockOnly: false, cancellationToken);
        var quoted = Shorten(query, 60);
        return new RecommendationList(
            [.. nearest.Select(n => new RecommendedItem(n.Id, Math.Round(n.Similarity, 4), $"matches \u201c{quoted}\u201d"))], "search", model.Name);
    }

    // ---- building blocks -----------------------------------------------------------------------------------------

    private sealed record Neighbour(int Id, string Name, int CategoryId, string CategoryName, int Stock, float[] Embedding, double Similarity)
    {
        public static implicit operator Product(Neighbour n) => new(n.Id, n.Name, n.CategoryId, n.CategoryName, n.Stock, n.Embedding);
    }

    /// <summary>
    /// k nearest products by cosine distance through the HNSW index. ef_search and iterative scans (so filtered-out rows
    /// do not shrink the result) are set with set_config(..., true), i.e. SET LOCAL: PGlite is one shared session, and a
    /// plain SET would leak into every other connection.
    /// </summary>
    private async Task<List<Neighbour>> NearestAsync(Vector target, int k, IReadOnlySet<int> exclude, bool inStockOnly, CancellationToken cancellationToken)
    {
        var efSearch = Math.Max(options.Value.EfSearch, k + exclude.Count);
        var strategy = db.Database.CreateExecutionStrategy();
        var rows = await strategy.ExecuteAsync(async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.Database.ExecuteSqlRawAsync(
                "SELECT set_config('hnsw.ef_search', @ef, true), set_config('hnsw.iterative_scan', 'relaxed_order', true)",
                [new NpgsqlParameter("ef", efSearch.ToString(System.Globalization.CultureInfo.InvariantCulture))], ct);
            var found = await db.ProductVectors.AsNoTracking()
                .Where(v => v.Model == model.Name && (!inStockOnly || v.Stock > 0))
                .OrderBy(v => v.Embedding.CosineDistance(target))
                .Take(k + exclude.Count)
                .Select(v => new { v.ProductId, v.Name, v.CategoryId, v.CategoryName, v.Stock, v.Embedding, Distance = v.Embedding.CosineDistance(target) })
                .ToListAsync(ct);
            await transaction.CommitAsync(ct);
            return found;
        }, cancellationToken);

        return [.. rows.Where(r => !exclude.Contains(r.ProductId)).Take(k)
            .Select(r => new Neighbour(r.ProductId, r.Name, r.CategoryId, r.CategoryName, r.Stock, r.Embedding.ToArray(), 1 - r.Distance))];
    }

    private async Task<Dictionary<int, Product>> LoadProductsAsync(IEnumerable<int> ids, CancellationToken cancellationToken)
    {
        var list = ids.Distinct().ToList();
        if (list.Count == 0)
        {
            return [];
        }

        var rows = await db.ProductVectors.AsNoTracking()
            .Where(v => list.Contains(v.ProductId) && v.Model == model.Name)
            .Select(v => new { v.ProductId, v.Name, v.CategoryId, v.CategoryName, v.Stock, v.Embedding })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.ProductId, r => new Product(r.ProductId, r.Name, r.CategoryId, r.CategoryName, r.Stock, r.Embedding.ToArray()));
    }

    private sealed class CoInteractionRow
    {
        public int Candidate { get; set; }
        public int Anchor { get; set; }
        public int Together { get; set; }
        public int CandidateShoppers { get; set; }
        public int AnchorShoppers { get; set; }
    }

    /// <summary>
    /// Item-to-item co-interaction: for each product other shoppers touched together with the shopper's anchors, the
    /// sum over anchors of anchor weight x shared shoppers / sqrt(shoppers of each) (cosine on co-occurrence), and the
    /// anchor that contributed most (for the reason).
    /// </summary>
    private async Task<Dictionary<int, (double Score, int Anchor)>> CoInteractionAsync(
        string shopperKey, IReadOnlyDictionary<int, double> anchors, CancellationToken cancellationToken)
    {
        if (anchors.Count == 0)
        {
            return [];
        }

        var rows = await db.Database.SqlQueryRaw<CoInteractionRow>(
            """
            WITH anchors AS (SELECT DISTINCT unnest(@anchors) AS product_id),
            peers AS (
                SELECT DISTINCT i."ShopperKey" AS shopper, i."ProductId" AS anchor
                FROM recs."Interactions" i JOIN anchors a ON a.product_id = i."ProductId"
                WHERE i."ShopperKey" <> @shopper),
            pairs AS (
                SELECT o."ProductId" AS candidate, p.anchor, count(DISTINCT p.shopper) AS together
                FROM peers p JOIN recs."Interactions" o ON o."ShopperKey" = p.shopper
                WHERE o."ProductId" <> p.anchor
                GROUP BY o."ProductId", p.anchor
                ORDER BY together DESC
                LIMIT @limit),
            support AS (
                SELECT i."ProductId" AS product_id, count(DISTINCT i."ShopperKey") AS shoppers
                FROM recs."Interactions" i
                WHERE i."ProductId" IN (SELECT candidate FROM pairs UNION SELECT product_id FROM anchors)
                GROUP BY i."ProductId")
            SELECT pairs.candidate AS "Candidate", pairs.anchor AS "Anchor", pairs.together::int AS "Together",
                   cs.shoppers::int AS "CandidateShoppers", coalesce(s.shoppers, 1)::int AS "AnchorShoppers"
            FROM pairs
            JOIN support cs ON cs.product_id = pairs.candidate
            LEFT JOIN support s ON s.product_id = pairs.anchor
            """,
            new NpgsqlParameter("anchors", anchors.Keys.ToArray()),
            new NpgsqlParameter("shopper", shopperKey),
            new NpgsqlParameter("limit", MaxCoInteractionRows))
            .ToListAsync(cancellationToken);

        var result = new Dictionary<int, (double Score, int Anchor, double Best)>();
        foreach (var row in rows)
        {
            var contribution = anchors[row.Anchor] * row.Together / Math.Sqrt(Math.Max(1, row.CandidateShoppers) * (double)Math.Max(1, row.AnchorShoppers));
            var current = result.GetValueOrDefault(row.Candidate, (0, row.Anchor, double.MinValue));
            result[row.Candidate] = (current.Score + contribution,
                contribution > current.Best ? row.Anchor : current.Anchor,
                Math.Max(contribution, current.Best));
        }

        return result.ToDictionary(r => r.Key, r => (r.Value.Score, r.Value.Anchor));
    }

    /// <summary>
    /// Maximal marginal relevance: repeatedly takes the item with the best trade-off between its (normalised) score and
    /// its similarity to what is already chosen, so ten near-identical products cannot fill the list.
    /// </summary>
    private static List<(T Item, double Score, RankingComponent Reason)> Diversify<T>(
        List<(T Item, double Score, RankingComponent Reason)> ranked, int count, double lambda) where T : class
    {
        static float[] VectorOf(T item) => item switch
        {
            Product p => p.Embedding,
            Neighbour n => n.Embedding,
            _ => [],
        };

        var max = ranked.Count == 0 ? 1 : Math.Max(1e-9, ranked.Max(r => r.Score));
        var pool = ranked.ToList();
        var chosen = new List<(T Item, double Score, RankingComponent Reason)>();
        while (chosen.Count < count && pool.Count > 0)
        {
            var best = 0;
            var bestValue = double.MinValue;
            for (var i = 0; i < pool.Count; i++)
            {
                var vector = VectorOf(pool[i].Item);
                var redundancy = chosen.Count == 0 ? 0 : chosen.Max(c => VectorMath.Dot(vector, VectorOf(c.Item)));
                var value = lambda * (pool[i].Score / max) - (1 - lambda) * redundancy;
                if (value > bestValue)
                {
                    bestValue = value;
                    best = i;
                }
            }

            chosen.Add(pool[best]);
            pool.RemoveAt(best);
        }

        return chosen;
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "\u2026";
}
