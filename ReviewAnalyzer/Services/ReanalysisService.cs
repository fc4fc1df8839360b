using EcomGo.ReviewAnalyzer.Data;
using Microsoft.EntityFrameworkCore;

namespace EcomGo.ReviewAnalyzer.Services;

/// <summary>Which stored results a re-analysis request re-queues.</summary>
public enum ReanalysisScope
{
    /// <summary>Every analysed review.</summary>
    All,
    /// <summary>Results made with an older prompt version, or by an LLM other than the current model and digest.</summary>
    Outdated,
    /// <summary>Results the local classifier made because the LLM path could not (invalid output, model error, suspected injection).</summary>
    Fallbacks,
}

public sealed record ReanalysisStatus(
    string? Scope, DateTimeOffset? RequestedAt, int Requested, int Remaining, string CurrentModel, string? CurrentModelDigest, string PromptVersion);

/// <summary>
/// Re-queues stored results: flags the rows (<see cref="ReviewSentiment.ReanalysisRequestedAt"/>, so a restart keeps the
/// request) and restarts the sweep from the first review; the sweep re-analyses flagged reviews with the current model and
/// prompt and clears their flag. Progress is the number of flagged rows left.
/// </summary>
public sealed class ReanalysisService(
    IServiceScopeFactory scopeFactory,
    ISentimentClassifier classifier,
    IServiceProvider services,
    SweepTrigger sweepTrigger,
    ReviewAnalyzerTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger<ReanalysisService> logger)
{
    private readonly Lock _gate = new();
    private (ReanalysisScope Scope, DateTimeOffset At, int Count)? _last;

    public async Task<ReanalysisStatus> RequestAsync(ReanalysisScope scope, CancellationToken cancellationToken)
    {
        var digest = await CurrentDigestAsync(refresh: true, cancellationToken);
        var now = timeProvider.GetUtcNow();
        await using var serviceScope = scopeFactory.CreateAsyncScope();
        var db = serviceScope.ServiceProvider.GetRequiredService<ReviewsDbContext>();
        var rows = db.Sentiments.Where(s => s.ReanalysisRequestedAt == null);
        var model = classifier.ModelName;
        var prompt = classifier.PromptVersion;
        rows = scope switch
        {
            ReanalysisScope.Outdated => rows.Where(s => s.PromptVersion != prompt
                || ((s.Classifier == ClassifierKinds.Llm || s.Classifier == ClassifierKinds.LlmRepaired) && (s.Model != model || s.ModelDigest != digest))),
            ReanalysisScope.Fallbacks => rows.Where(s => s.Classifier.StartsWith(ClassifierKinds.FallbackPrefix)),
            _ => rows,
        };

        var flagged = await rows.ExecuteUpdateAsync(s => s.SetProperty(r => r.ReanalysisRequestedAt, now), cancellationToken);
        var remaining = await db.Sentiments.CountAsync(s => s.ReanalysisRequestedAt != null, cancellationToken);
        lock (_gate)
        {
            _last = (scope, now, remaining);
        }

        telemetry.SetReanalysisRemaining(remaining);
        logger.LogInformation("Re-analysis ({Scope}) requested: {Flagged} review(s) re-queued, {Remaining} waiting in all (model {Model} {Digest}, prompt {Prompt})",
            scope, flagged, remaining, model, digest ?? "(no digest)", prompt);
        sweepTrigger.RestartFromFirstReview();
        return await GetStatusAsync(cancellationToken);
    }

    public async Task<ReanalysisStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        await using var serviceScope = scopeFactory.CreateAsyncScope();
        var db = serviceScope.ServiceProvider.GetRequiredService<ReviewsDbContext>();
        var remaining = await db.Sentiments.CountAsync(s => s.ReanalysisRequestedAt != null, cancellationToken);
        telemetry.SetReanalysisRemaining(remaining);
        (ReanalysisScope Scope, DateTimeOffset At, int Count)? last;
        lock (_gate)
        {
            last = _last;
        }

        return new ReanalysisStatus(last?.Scope.ToString().ToLowerInvariant(), last?.At, last?.Count ?? remaining, remaining,
            classifier.ModelName, await CurrentDigestAsync(refresh: false, cancellationToken), classifier.PromptVersion);
    }

    /// <summary>
    /// After a sweep pass over the whole feed that started at <paramref name="passStartedAt"/>: reviews still flagged from
    /// before that pass are not in the Storefront's feed any more (nothing to re-analyse them from), so their flag is dropped.
    /// </summary>
    public async Task CompletePassAsync(DateTimeOffset passStartedAt, CancellationToken cancellationToken)
    {
        await using var serviceScope = scopeFactory.CreateAsyncScope();
        var db = serviceScope.ServiceProvider.GetRequiredService<ReviewsDbContext>();
        var cutoff = passStartedAt.ToUniversalTime();
        var dropped = await db.Sentiments.Where(s => s.ReanalysisRequestedAt != null && s.ReanalysisRequestedAt < cutoff)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ReanalysisRequestedAt, (DateTimeOffset?)null), cancellationToken);
        if (dropped > 0)
        {
            logger.LogWarning("{Count} review(s) queued for re-analysis are not in the Storefront's feed; their stored results stay as they are", dropped);
        }

        telemetry.SetReanalysisRemaining(await db.Sentiments.CountAsync(s => s.ReanalysisRequestedAt != null, cancellationToken));
    }

    private async Task<string?> CurrentDigestAsync(bool refresh, CancellationToken cancellationToken) =>
        classifier is LlmSentimentClassifier
        && services.GetService<OllamaModelDigests>() is { } digests
        && services.GetKeyedService<EcomGo.ServiceDefaults.Ai.OllamaConnection>("fast") is { IsAvailable: true } connection
            ? await digests.GetDigestAsync(connection.Model, refresh, cancellationToken)
            : null;
}

/// <summary>Lets a re-analysis request wake the sweep and make it start again from the first review.</summary>
public sealed class SweepTrigger
{
    private readonly SemaphoreSlim _signal = new(0, 1);
    private int _restart;

    public void RestartFromFirstReview()
    {
        Interlocked.Exchange(ref _restart, 1);
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    /// <summary>True once after <see cref="RestartFromFirstReview"/> was called.</summary>
    public bool ConsumeRestart() => Interlocked.Exchange(ref _restart, 0) == 1;

    /// <summary>Waits for <paramref name="delay"/> or a trigger, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await _signal.WaitAsync(delay, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
