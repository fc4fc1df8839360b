using EcomGo.ServiceDefaults.Messaging;
using EcomGo.Storefront.Data;
using EcomGo.Storefront.Services;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace EcomGo.Storefront.Workers;

/// <summary>
/// Keeps the Storefront's copy of each review's analysis (<c>review-analyzed.v1</c>, group "storefront"). Idempotent and
/// order-safe: one upsert that only replaces an older analysis (a redelivery or a late, older event changes nothing), and
/// only for reviews that still exist (a review deleted meanwhile gets no row).
/// </summary>
public sealed class ReviewAnalyzedConsumer(
    IConnectionMultiplexer redis, RedisEventBus bus, IServiceScopeFactory scopeFactory, PageCache pageCache, ILogger<ReviewAnalyzedConsumer> logger)
    : EventConsumer<ReviewAnalyzedV1>(redis, bus, EventTypes.ReviewAnalyzed, EventConsumerGroups.Storefront, logger)
{
    private static readonly HashSet<string> s_labels = ["positive", "neutral", "negative"];

    protected override async Task HandleAsync(EventEnvelope envelope, ReviewAnalyzedV1 data, CancellationToken cancellationToken)
    {
        var label = data.Label?.Trim().ToLowerInvariant();
        if (label is null || !s_labels.Contains(label))
        {
            logger.LogWarning("Ignoring review-analyzed event {EventId} for review {ReviewId} with unknown label '{Label}'", envelope.Id, data.ReviewId, data.Label);
            return;
        }

        var aspects = (data.Aspects ?? []).Where(a => !string.IsNullOrWhiteSpace(a.Name)).Select(a => $"{a.Name.Trim()}: {a.Sentiment}").Take(10).ToList();
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorefrontDbContext>();
        var classifier = Truncate(data.Classifier ?? "", 64);
        var model = Truncate(data.ModelDigest is { Length: > 0 } digest ? $"{data.Model}@{digest}" : data.Model ?? "", 128);
        var confidence = Math.Clamp(data.Confidence, 0, 1);
        var analyzedAt = data.AnalyzedAt.ToUniversalTime();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO storefront."ReviewAnalyses" ("ReviewId", "ProductId", "Label", "Confidence", "Aspects", "Classifier", "Model", "AnalyzedAt")
            SELECT r."Id", r."ProductId", {label}, {confidence}, {aspects}, {classifier}, {model}, {analyzedAt}
            FROM storefront."Reviews" r WHERE r."Id" = {data.ReviewId}
            ON CONFLICT ("ReviewId") DO UPDATE SET
                "Label" = excluded."Label", "Confidence" = excluded."Confidence", "Aspects" = excluded."Aspects",
                "Classifier" = excluded."Classifier", "Model" = excluded."Model", "AnalyzedAt" = excluded."AnalyzedAt"
            WHERE storefront."ReviewAnalyses"."AnalyzedAt" <= excluded."AnalyzedAt"
            """, cancellationToken);
        // The review's colour and group on the product page change (listings show no labels).
        await pageCache.ProductsChangedAsync([data.ProductId], cancellationToken, listings: false);
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}

/// <summary>
/// Keeps the Storefront's copy of each product's opinion (<c>product-opinion-updated.v1</c>, group "storefront"):
/// one upsert that only replaces an older opinion.
/// </summary>
public sealed class ProductOpinionUpdatedConsumer(
    IConnectionMultiplexer redis, RedisEventBus bus, IServiceScopeFactory scopeFactory, PageCache pageCache, ILogger<ProductOpinionUpdatedConsumer> logger)
    : EventConsumer<ProductOpinionUpdatedV1>(redis, bus, EventTypes.ProductOpinionUpdated, EventConsumerGroups.Storefront, logger)
{
    protected override async Task HandleAsync(EventEnvelope envelope, ProductOpinionUpdatedV1 data, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorefrontDbContext>();
        var summary = (data.Summary ?? "").Trim();
        summary = summary.Length <= 2000 ? summary : summary[..2000];
        var praised = (data.Praised ?? []).Take(5).ToList();
        var criticised = (data.Criticised ?? []).Take(5).ToList();
        var updatedAt = data.UpdatedAt.ToUniversalTime();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO storefront."ProductOpinions" ("ProductId", "Summary", "PositiveCount", "NeutralCount", "NegativeCount", "Praised", "Criticised", "UpdatedAt")
            VALUES ({data.ProductId}, {summary}, {Math.Max(0, data.Positive)}, {Math.Max(0, data.Neutral)}, {Math.Max(0, data.Negative)}, {praised}, {criticised}, {updatedAt})
            ON CONFLICT ("ProductId") DO UPDATE SET
                "Summary" = excluded."Summary", "PositiveCount" = excluded."PositiveCount", "NeutralCount" = excluded."NeutralCount",
                "NegativeCount" = excluded."NegativeCount", "Praised" = excluded."Praised", "Criticised" = excluded."Criticised",
                "UpdatedAt" = excluded."UpdatedAt"
            WHERE storefront."ProductOpinions"."UpdatedAt" <= excluded."UpdatedAt"
            """, cancellationToken);
        await pageCache.ProductsChangedAsync([data.ProductId], cancellationToken, listings: false);
        logger.LogDebug("Opinion of product {ProductId} updated from event {EventId}", data.ProductId, envelope.Id);
    }
}
