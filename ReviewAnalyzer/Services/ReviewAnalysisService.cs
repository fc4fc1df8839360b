using System.Collections.Concurrent;
using System.Diagnostics;
using EcomGo.ReviewAnalyzer.Data;

namespace EcomGo.ReviewAnalyzer.Services;

/// <summary>
/// The one path from "a review exists" to "its sentiment is stored", shared by the event consumer and the sweep:
/// skip reviews already analysed with the same text digest and prompt version, classify the rest, upsert them.
/// A review being classified by one path is skipped by the other (claimed in memory before the database check),
/// so an event and a sweep that meet on the same review do not both pay for the model call.
/// </summary>
public sealed class ReviewAnalysisService(
    IServiceScopeFactory scopeFactory,
    ISentimentClassifier classifier,
    AnalysisBacklog backlog,
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
        var analysed = await store.GetAnalysedAsync(reviews.Select(r => r.ReviewId).ToList(), cancellationToken);
        return reviews
            .Where(r => !analysed.TryGetValue(r.ReviewId, out var existing)
                        || existing.Digest != r.Digest || existing.PromptVersion != classifier.PromptVersion)
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
        var rows = todo.Zip(results, (review, result) => new ReviewSentiment
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
        }).ToList();

        await using (var scope = scopeFactory.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<SentimentStore>().UpsertAsync(rows, cancellationToken);
        }

        foreach (var row in rows)
        {
            telemetry.RecordClassified(row.Label, row.Model, source, perReview);
        }

        backlog.Done(rows.Select(r => r.ReviewId));
        logger.LogDebug("Analysed {Count} review(s) from {Source} in {Elapsed} ms", rows.Count, source, stopwatch.ElapsedMilliseconds);
        return rows.Count;
    }

    private static string Excerpt(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= ReviewSentiment.ExcerptLength ? trimmed : trimmed[..(ReviewSentiment.ExcerptLength - 1)] + "…";
    }
}
