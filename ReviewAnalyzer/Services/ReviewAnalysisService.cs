using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using EcomGo.ReviewAnalyzer.Data;
using EcomGo.ServiceDefaults.Messaging;

namespace EcomGo.ReviewAnalyzer.Services;

/// <summary>
/// The one path from "a review exists" to "its sentiment is stored and announced", shared by the event consumer and the
/// sweep: skip reviews already analysed with the same text digest and prompt version (unless a re-analysis was requested)
/// and reviews deleted by their author, classify the rest, then upsert the results and write their
/// <c>review-analyzed.v1</c> events in one transaction (the outbox publishes them).
/// A review being classified by one path is skipped by the other (claimed in memory before the database check),
/// so an event and a sweep that meet on the same review do not both pay for the model call.
/// </summary>
public sealed class ReviewAnalysisService(
    IServiceScopeFactory scopeFactory,
    ISentimentClassifier classifier,
    AnalysisBacklog backlog,
    OutboxSignal<ReviewsDbContext> outboxSignal,
    ReviewAnalyzerTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger<ReviewAnalysisService> logger)
{
    private readonly ConcurrentDictionary<int, byte> _inFlight = new();

    /// <summary>The reviews of <paramref name="reviews"/> that still need (re-)analysis.</summary>
    public async Task<IReadOnlyList<ReviewInput>> SelectUnanalysedAsync(IReadOnlyList<ReviewInput> reviews, CancellationToken cancellationToken)
    {
        if (reviews.Count == 0)
        {
            return [];
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<SentimentStore>();
        var (analysed, deleted) = await store.GetStateAsync(reviews.Select(r => r.ReviewId).ToList(), cancellationToken);
        return reviews
            .Where(r => !deleted.Contains(r.ReviewId))
            .Where(r => !analysed.TryGetValue(r.ReviewId, out var existing)
                        || existing.ReanalysisRequested || existing.Digest != r.Digest || existing.PromptVersion != classifier.PromptVersion)
            .ToList();
    }

    /// <summary>
    /// Classifies and stores the reviews that need it and that no other caller is classifying right now; returns how
    /// many were (re-)analysed.
    /// </summary>
    public async Task<int> AnalyseAsync(IReadOnlyList<ReviewInput> reviews, string source, CancellationToken cancellationToken)
    {
        // Claim first, then check the database: a claim released after its upsert is then always seen as analysed.
        var claimed = reviews.Where(r => _inFlight.TryAdd(r.ReviewId, 0)).ToList();
        try
        {
            return await AnalyseClaimedAsync(claimed, source, cancellationToken);
        }
        finally
        {
            foreach (var review in claimed)
            {
                _inFlight.TryRemove(review.ReviewId, out _);
            }
        }
    }

    private async Task<int> AnalyseClaimedAsync(IReadOnlyList<ReviewInput> reviews, string source, CancellationToken cancellationToken)
    {
        var todo = await SelectUnanalysedAsync(reviews, cancellationToken);
        backlog.Done(reviews.Select(r => r.ReviewId).Except(todo.Select(r => r.ReviewId)));
        if (todo.Count == 0)
        {
            return 0;
        }

        using var activity = telemetry.ActivitySource.StartActivity("classify reviews");
        activity?.SetTag("ecomgo.reviews.count", todo.Count);
        activity?.SetTag("ecomgo.reviews.source", source);
        activity?.SetTag("ecomgo.reviews.classifier", classifier.ModelName);

        var stopwatch = Stopwatch.StartNew();
        var results = await classifier.ClassifyAsync(todo, cancellationToken);
        var perReview = stopwatch.Elapsed / todo.Count;

        var now = timeProvider.GetUtcNow();
        var rows = todo.Zip(results, (review, result) =>
        {
            // The LLM names aspects itself; otherwise (no LLM, or the local classifier decided) they come from the text.
            var aspects = result.Aspects.Count > 0 ? result.Aspects : LocalAspectExtractor.Extract(review.FullText);
            return new ReviewSentiment
            {
                ReviewId = review.ReviewId,
                ProductId = review.ProductId,
                Label = result.Label,
                Confidence = result.Confidence,
                Model = result.Model,
                PromptVersion = classifier.PromptVersion,
                TextDigest = review.Digest,
                AnalyzedAt = now,
                Rating = review.Rating,
                Excerpt = Excerpt(review.FullText),
                Classifier = result.Classifier,
                ModelDigest = result.ModelDigest,
                Aspects = JsonSerializer.Serialize(aspects.Select(a => new StoredAspect(a.Name, a.Sentiment.ToWire())), EventEnvelope.SerializerOptions),
            };
        }).ToList();

        HashSet<int> stored;
        await using (var scope = scopeFactory.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ReviewsDbContext>();
            var store = scope.ServiceProvider.GetRequiredService<SentimentStore>();
            stored = await db.InTransactionAsync(async ct =>
            {
                var ids = await store.UpsertAsync(rows, ct);
                foreach (var row in rows.Where(r => ids.Contains(r.ReviewId)))
                {
                    db.AddEvent(EventTypes.ReviewAnalyzed, ToEvent(row), now);
                }

                return ids;
            }, cancellationToken);
        }

        outboxSignal.Notify();
        foreach (var row in rows)
        {
            telemetry.RecordClassified(row.Label, row.Model, row.Classifier, source, perReview);
        }

        backlog.Done(rows.Select(r => r.ReviewId));
        logger.LogDebug("Analysed {Count} review(s) from {Source} in {Elapsed} ms ({Skipped} deleted meanwhile)",
            stored.Count, source, stopwatch.ElapsedMilliseconds, rows.Count - stored.Count);
        return stored.Count;
    }

    public static ReviewAnalyzedV1 ToEvent(ReviewSentiment row) => new(
        row.ReviewId, row.ProductId, row.Label.ToWire(), row.Confidence,
        StoredAspect.Parse(row.Aspects).Select(a => new ReviewAspectV1(a.Name, a.Sentiment)).ToList(),
        row.Classifier, row.Model, row.ModelDigest, row.PromptVersion, row.AnalyzedAt);

    private static string Excerpt(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= ReviewSentiment.ExcerptLength ? trimmed : trimmed[..(ReviewSentiment.ExcerptLength - 1)] + "…";
    }
}

/// <summary>An aspect as stored in <see cref="ReviewSentiment.Aspects"/> (JSON).</summary>
public sealed record StoredAspect(string Name, string Sentiment)
{
    public static IReadOnlyList<StoredAspect> Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<StoredAspect>>(json, EventEnvelope.SerializerOptions) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
