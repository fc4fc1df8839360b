using EcomGo.ReviewAnalyzer.Services;
using EcomGo.ServiceDefaults.Messaging;
using StackExchange.Redis;

namespace EcomGo.ReviewAnalyzer.Workers;

/// <summary>
/// Classifies each new review as its <c>review-created.v1</c> event arrives (group "review-analyzer").
/// Idempotent: a review already analysed with the same text digest and prompt version is skipped.
/// </summary>
public sealed class ReviewCreatedConsumer(
    IConnectionMultiplexer redis,
    RedisEventBus bus,
    ReviewAnalysisService analysis,
    AnalysisBacklog backlog,
    ILogger<ReviewCreatedConsumer> logger)
    : EventConsumer<ReviewCreatedV1>(redis, bus, EventTypes.ReviewCreated, GroupName, logger)
{
    public const string GroupName = EventConsumerGroups.ReviewAnalyzer;

    protected override async Task HandleAsync(EventEnvelope envelope, ReviewCreatedV1 data, CancellationToken cancellationToken)
    {
        backlog.Add([data.ReviewId]);
        var analysed = await analysis.AnalyseAsync(
            [new ReviewInput(data.ReviewId, data.ProductId, data.Rating, data.Title ?? "", data.Text ?? "")], "event", cancellationToken);
        logger.LogInformation("Review {ReviewId} of product {ProductId} from event {EventId}: {Outcome}",
            data.ReviewId, data.ProductId, envelope.Id, analysed > 0 ? "analysed" : "already analysed or in progress");
    }
}
