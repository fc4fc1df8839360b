using EcomGo.Recommender.Data;
using EcomGo.Recommender.Ranking;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Pgvector;

namespace EcomGo.Recommender.Services;

/// <summary>
/// A shopper's taste profile: the weighted mean of the vectors of the products they interacted with. A purchase counts
/// more than a cart add, which counts more than a view; a high rating pulls towards the product and a low one pushes
/// away from it; older interactions fade with the configured half-life.
/// </summary>
public sealed class ShopperProfileBuilder(
    RecommenderDbContext db,
    EmbeddingModel model,
    RecommendationCache cache,
    IOptions<RecommenderOptions> options,
    IOptionsMonitor<HybridWeights> weights,
    RecommenderTelemetry telemetry,
    TimeProvider time)
{
    /// <summary>How much one interaction moves the profile, before time decay. Negative means "away from this".</summary>
    public static double KindWeight(string kind, int value) => kind switch
    {
        "purchase" => 5,
        "cart" => 3,
        // Following a product from a recommendation email, or asking the assistant about it, is a deliberate interest: more than a view.
        "email-click" or InteractionStore.ChatKind => 2,
        "rating" => (value - 3) * 2.0, // 5 stars: +4, 4: +2, 3: nothing, 2: -2, 1: -4
        _ => 1,
    };

    /// <summary>0.5 per half-life of age (never more than 1 for clock skew).</summary>
    public static double Decay(DateTimeOffset occurredAt, DateTimeOffset now, double halfLifeDays) =>
        halfLifeDays <= 0 ? 1 : Math.Pow(0.5, Math.Max(0, (now - occurredAt).TotalDays) / halfLifeDays);

    /// <summary>The shopper's most recent interactions, newest first.</summary>
    public Task<List<ShopperInteraction>> LoadHistoryAsync(string shopperKey, CancellationToken cancellationToken) =>
        db.Interactions.AsNoTracking()
            .Where(i => i.ShopperKey == shopperKey)
            .OrderByDescending(i => i.OccurredAt).ThenByDescending(i => i.Id)
            .Take(options.Value.MaxProfileInteractions)
            .ToListAsync(cancellationToken);

    /// <summary>The profile vector for a history, or null when nothing positive is known (no vectors yet, or only dislikes).</summary>
    public async Task<Vector?> ComputeAsync(IReadOnlyList<ShopperInteraction> history, CancellationToken cancellationToken)
    {
        var ids = history.Select(i => i.ProductId).Distinct().ToList();
        var vectors = await db.ProductVectors.AsNoTracking()
            .Where(v => ids.Contains(v.ProductId) && v.Model == model.Name)
            .Select(v => new { v.ProductId, v.Embedding })
            .ToDictionaryAsync(v => v.ProductId, v => v.Embedding.Memory, cancellationToken);

        var now = time.GetUtcNow();
        var halfLife = weights.CurrentValue.InteractionHalfLifeDays;
        var sum = new double[EmbeddingModel.Dimensions];
        var positive = 0.0;
        foreach (var interaction in history)
        {
            if (!vectors.TryGetValue(interaction.ProductId, out var vector))
            {
                continue;
            }

            var weight = KindWeight(interaction.Kind, interaction.Value) * Decay(interaction.OccurredAt, now, halfLife);
            positive += Math.Max(0, weight);
            var span = vector.Span;
            for (var d = 0; d < sum.Length; d++)
            {
                sum[d] += weight * span[d];
            }
        }

        if (positive <= 0)
        {
            return null;
        }

        var normalized = VectorMath.Normalized(sum.Select(v => (float)v).ToArray());
        return normalized.Any(v => v != 0) ? new Vector(normalized) : null;
    }

    /// <summary>Rebuilds and saves one shopper's profile, then drops their cached lists.</summary>
    public async Task RebuildAsync(string shopperKey, CancellationToken cancellationToken)
    {
        var history = await LoadHistoryAsync(shopperKey, cancellationToken);
        var profile = history.Count == 0 ? null : await ComputeAsync(history, cancellationToken);
        var now = time.GetUtcNow();
        if (profile is null)
        {
            await db.ShopperProfiles.Where(p => p.ShopperKey == shopperKey).ExecuteDeleteAsync(cancellationToken);
        }
        else
        {
            await db.Database.ExecuteSqlRawAsync(
                """
                INSERT INTO recs."ShopperProfiles" ("ShopperKey", "Embedding", "Model", "InteractionCount", "UpdatedAt")
                VALUES (@key, @embedding, @model, @count, @now)
                ON CONFLICT ("ShopperKey") DO UPDATE SET "Embedding" = excluded."Embedding", "Model" = excluded."Model",
                    "InteractionCount" = excluded."InteractionCount", "UpdatedAt" = excluded."UpdatedAt"
                """,
                [
                    new NpgsqlParameter("key", shopperKey),
                    new NpgsqlParameter("embedding", profile),
                    new NpgsqlParameter("model", model.Name),
                    new NpgsqlParameter("count", history.Count),
                    new NpgsqlParameter("now", now),
                ],
                cancellationToken);
        }

        await cache.InvalidateShopperAsync(shopperKey);
        telemetry.RecordProfileUpdated(history.Count == 0 ? null : now - history[0].OccurredAt);
    }

    /// <summary>Every shopper with interactions (after the vectors changed: a new model, new or edited products).</summary>
    public async Task<int> RebuildAllAsync(CancellationToken cancellationToken)
    {
        var keys = await db.Interactions.AsNoTracking().Select(i => i.ShopperKey).Distinct().ToListAsync(cancellationToken);
        foreach (var key in keys)
        {
            await RebuildAsync(key, cancellationToken);
        }

        // Profiles of another model that no interaction explains any more.
        await db.ShopperProfiles.Where(p => p.Model != model.Name).ExecuteDeleteAsync(cancellationToken);
        return keys.Count;
    }
}
