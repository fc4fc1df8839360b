using EcomGo.ReviewAnalyzer.Services;
using Microsoft.Extensions.Options;

namespace EcomGo.ReviewAnalyzer.Workers;

/// <summary>
/// Backfill and reconciliation: pages through the Storefront's review feed and analyses whatever is not analysed
/// yet (the seeded reviews never arrive as events; an event lost in transit is recovered here).
/// The cursor is the highest review id this instance has swept (advanced per completed page, so a failed sweep
/// resumes where it stopped); it starts at 0 on start-up and again every
/// <see cref="ReviewAnalyzerOptions.FullSweepInterval"/>, and a full pass over analysed reviews is cheap
/// (one id lookup per page). Work is saved per batch, so a restart loses at most one batch.
/// A re-analysis request (<see cref="SweepTrigger"/>) wakes it and restarts it from the first review.
/// </summary>
public sealed class ReviewSweepWorker(
    StorefrontReviewFeed feed,
    ReviewAnalysisService analysis,
    AnalysisBacklog backlog,
    ReanalysisService reanalysis,
    SweepTrigger trigger,
    IOptions<ReviewAnalyzerOptions> options,
    ReviewAnalyzerTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger<ReviewSweepWorker> logger) : BackgroundService
{
    private int _cursor;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var lastFullSweep = timeProvider.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = settings.SweepInterval;
            try
            {
                if (trigger.ConsumeRestart() || timeProvider.GetUtcNow() - lastFullSweep >= settings.FullSweepInterval)
                {
                    _cursor = 0;
                    lastFullSweep = timeProvider.GetUtcNow();
                }

                var fromFirstReview = _cursor == 0;
                var passStartedAt = timeProvider.GetUtcNow();
                await SweepAsync(settings, stoppingToken);
                backlog.SweepCompleted(timeProvider.GetUtcNow());
                if (fromFirstReview)
                {
                    await reanalysis.CompletePassAsync(passStartedAt, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // The Storefront may still be starting, or the model/database briefly unavailable: retry soon.
                logger.LogWarning("Review sweep from id {Cursor} failed: {Message}; retrying in {Delay}", _cursor, e.Message, settings.SweepRetryDelay);
                backlog.SweepFailed(e.Message);
                telemetry.RecordFailure("sweep");
                delay = settings.SweepRetryDelay;
            }

            await trigger.WaitAsync(delay, stoppingToken);
        }
    }

    /// <summary>Sweeps from the cursor to the end of the feed, advancing the cursor after each completed page.</summary>
    private async Task SweepAsync(ReviewAnalyzerOptions settings, CancellationToken cancellationToken)
    {
        using var activity = telemetry.ActivitySource.StartActivity("sweep review feed");
        activity?.SetTag("ecomgo.sweep.after_id", _cursor);
        var analysed = 0;
        while (true)
        {
            var page = await feed.GetPageAsync(_cursor, settings.FeedPageSize, cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            var todo = await analysis.SelectUnanalysedAsync(page.Select(r => r.ToInput()).ToList(), cancellationToken);
            backlog.Add(todo.Select(r => r.ReviewId));
            foreach (var batch in todo.Chunk(Math.Max(1, settings.BatchSize)))
            {
                analysed += await analysis.AnalyseAsync(batch, "sweep", cancellationToken);
            }

            _cursor = page.Max(r => r.Id);
            if (page.Count < settings.FeedPageSize)
            {
                break;
            }
        }

        activity?.SetTag("ecomgo.sweep.analysed", analysed);
        if (analysed > 0)
        {
            logger.LogInformation("Review sweep analysed {Count} review(s); cursor now {Cursor}", analysed, _cursor);
        }
    }
}
