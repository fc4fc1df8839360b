using EcomGo.ReviewAnalyzer.Data;
using EcomGo.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace EcomGo.ReviewAnalyzer.Services;

/// <summary>
/// Finds products whose opinion is stale and recomputes it (counts per label, praised and criticised aspects, a summary),
/// saving it together with its <c>product-opinion-updated.v1</c> event.
/// </summary>
public sealed class OpinionService(
    ReviewsDbContext db,
    IOpinionSummarizer summarizer,
    OutboxSignal<ReviewsDbContext> outboxSignal,
    ReviewAnalyzerTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger<OpinionService> logger)
{
    /// <summary>Model stored with the template summary written because the summariser failed (e.g. Ollama down); retried later.</summary>
    public const string SummarizerFailedModel = "template:counts (summariser failed)";

    /// <summary>
    /// Products whose sentiments changed after their opinion was written (or whose counts disagree, or that have
    /// none yet), and whose newest sentiment is older than <paramref name="quietFor"/> (the debounce); plus products
    /// whose summariser failed more than <paramref name="retryFailedAfter"/> ago.
    /// </summary>
    public Task<List<int>> FindStaleProductsAsync(TimeSpan quietFor, TimeSpan retryFailedAfter, int max, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var cutoff = (now - quietFor).ToUniversalTime();
        var retryCutoff = (now - retryFailedAfter).ToUniversalTime();
        return db.Database.SqlQuery<int>($"""
            SELECT s."ProductId" AS "Value"
            FROM reviews."Sentiments" s
            LEFT JOIN reviews."ProductOpinions" o ON o."ProductId" = s."ProductId"
            GROUP BY s."ProductId", o."UpdatedAt", o."PositiveCount", o."NeutralCount", o."NegativeCount", o."Model"
            HAVING (o."UpdatedAt" IS NULL
                    OR max(s."AnalyzedAt") > o."UpdatedAt"
                    OR count(*) <> o."PositiveCount" + o."NeutralCount" + o."NegativeCount"
                    OR (o."Model" = {SummarizerFailedModel} AND o."UpdatedAt" <= {retryCutoff}))
               AND max(s."AnalyzedAt") <= {cutoff}
            ORDER BY max(s."AnalyzedAt")
            LIMIT {max}
            """).ToListAsync(cancellationToken);
    }

    public async Task RecomputeAsync(int productId, CancellationToken cancellationToken)
    {
        var rows = await db.Sentiments.AsNoTracking()
            .Where(s => s.ProductId == productId)
            .Select(s => new { s.ReviewId, s.Label, s.Rating, s.Excerpt, s.Aspects })
            .ToListAsync(cancellationToken);
        var reviews = rows.Select(r => new AnalysedReview(r.ReviewId, r.Label, r.Rating, r.Excerpt)
        {
            Aspects = StoredAspect.Parse(r.Aspects)
                .Select(a => SentimentLabels.TryParse(a.Sentiment, out var label) ? new ReviewAspect(a.Name, label) : null)
                .OfType<ReviewAspect>().ToList(),
        }).ToList();
        var startedAt = timeProvider.GetUtcNow();
        var product = new ProductReviews(productId, reviews);

        OpinionSummary summary;
        try
        {
            summary = await summarizer.SummarizeAsync(product, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Honest counts now; the stored model marks it for another summariser attempt later (FindStaleProductsAsync).
            logger.LogWarning(e, "Summarising product {ProductId} failed; using the template until a retry succeeds", productId);
            telemetry.RecordFailure("opinion");
            summary = new OpinionSummary(TemplateOpinionSummarizer.Summarize(product), SummarizerFailedModel);
        }

        var (praised, criticised) = product.NamedAspects();
        await db.InTransactionAsync(async ct =>
        {
            var opinion = await db.ProductOpinions.FindAsync([productId], ct);
            if (opinion is null)
            {
                opinion = new ProductOpinion { ProductId = productId, Summary = "", Model = "" };
                db.ProductOpinions.Add(opinion);
            }

            opinion.Summary = summary.Text.Length <= 2000 ? summary.Text : summary.Text[..2000];
            opinion.Model = summary.Model;
            opinion.PositiveCount = product.Positive;
            opinion.NeutralCount = product.Neutral;
            opinion.NegativeCount = product.Negative;
            opinion.Praised = praised.Select(t => t.Name).ToList();
            opinion.Criticised = criticised.Select(t => t.Name).ToList();
            // The time the sentiments were read, not the time the (possibly slow) summary finished: a sentiment stored
            // while the LLM was writing makes the opinion stale again.
            opinion.UpdatedAt = startedAt;
            db.AddEvent(EventTypes.ProductOpinionUpdated, new ProductOpinionUpdatedV1(
                productId, opinion.Summary, opinion.PositiveCount, opinion.NeutralCount, opinion.NegativeCount,
                opinion.Praised, opinion.Criticised, opinion.Model, startedAt), timeProvider.GetUtcNow());
            return true;
        }, cancellationToken);
        outboxSignal.Notify();
    }
}
