using EcomGo.ReviewAnalyzer.Data;
using EcomGo.ReviewAnalyzer.Services;
using EcomGo.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace EcomGo.ReviewAnalyzer.Workers;

/// <summary>
/// Forgets a review its author deleted (<c>review-deleted.v1</c>, group "review-analyzer"): its sentiment (and the
/// excerpt that fed summaries) is removed, a tombstone stops a sweep page or a late event from bringing it back, and the
/// product's opinion is recomputed at once (publishing <c>product-opinion-updated.v1</c>). Idempotent: a second delivery
/// finds nothing to remove and recomputes the same opinion.
/// </summary>
public sealed class ReviewDeletedConsumer(
    IConnectionMultiplexer redis,
    RedisEventBus bus,
    IServiceScopeFactory scopeFactory,
    AnalysisBacklog backlog,
    ILogger<ReviewDeletedConsumer> logger)
    : EventConsumer<ReviewDeletedV1>(redis, bus, EventTypes.ReviewDeleted, EventConsumerGroups.ReviewAnalyzer, logger)
{
    protected override async Task HandleAsync(EventEnvelope envelope, ReviewDeletedV1 data, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReviewsDbContext>();
        var removed = await db.InTransactionAsync(async ct =>
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO reviews."DeletedReviews" ("ReviewId", "ProductId", "DeletedAt")
                VALUES ({data.ReviewId}, {data.ProductId}, {data.DeletedAt.ToUniversalTime()})
                ON CONFLICT ("ReviewId") DO NOTHING
                """, ct);
            return await db.Sentiments.Where(s => s.ReviewId == data.ReviewId).ExecuteDeleteAsync(ct);
        }, cancellationToken);
        backlog.Done([data.ReviewId]);

        await scope.ServiceProvider.GetRequiredService<OpinionService>().RecomputeAsync(data.ProductId, cancellationToken);
        logger.LogInformation("Review {ReviewId} of product {ProductId} deleted (event {EventId}): {Outcome}; opinion recomputed",
            data.ReviewId, data.ProductId, envelope.Id, removed > 0 ? "analysis forgotten" : "nothing stored");
    }
}
