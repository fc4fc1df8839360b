using System.Diagnostics;
using System.Diagnostics.Metrics;
using EcomGo.ReviewAnalyzer.Data;

namespace EcomGo.ReviewAnalyzer.Services;

/// <summary>
/// The service's own spans and metrics ("EcomGo.ReviewAnalyzer"; ServiceDefaults exports "EcomGo.*"), all visible in the
/// Aspire dashboard: pending backlog and the age of its oldest review, analyses in the last minute, LLM fallbacks (by
/// reason), failures, and re-analysis progress (the outbox's metrics come from ServiceDefaults' TransactionalOutbox on this meter). LLM calls are traced, with token counts, by the IChatClient
/// pipeline registered in ServiceDefaults.
/// </summary>
public sealed class ReviewAnalyzerTelemetry
{
    public const string Name = "EcomGo.ReviewAnalyzer";

    private readonly Counter<long> _classified;
    private readonly Counter<long> _fallbacks;
    private readonly Counter<long> _repairs;
    private readonly Counter<long> _failures;
    private readonly Histogram<double> _classificationDuration;
    private readonly Histogram<double> _llmCallDuration;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Queue<long> _recent = new(); // timestamps (ticks) of analyses within the last minute
    private long _reanalysisRemaining;

    public ReviewAnalyzerTelemetry(IMeterFactory meterFactory, AnalysisBacklog? backlog = null, TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        var meter = meterFactory.Create(Name);
        _classified = meter.CreateCounter<long>("ecomgo.reviews.classified", "{review}", "Reviews classified, by label, model, classifier and source (event or sweep).");
        _fallbacks = meter.CreateCounter<long>("ecomgo.reviews.llm_fallbacks", "{review}", "Reviews the LLM path handed to the local classifier, by reason.");
        _repairs = meter.CreateCounter<long>("ecomgo.reviews.llm_repairs", "{review}", "LLM replies that did not match the schema and got one repair attempt.");
        _failures = meter.CreateCounter<long>("ecomgo.reviews.failures", "{failure}", "Failures, by kind (model-error, sweep, event, opinion).");
        _classificationDuration = meter.CreateHistogram<double>("ecomgo.reviews.classification.duration", "s", "Time to classify one review.");
        _llmCallDuration = meter.CreateHistogram<double>("ecomgo.reviews.llm_call.duration", "s", "Time of one sentiment LLM call.");
        meter.CreateObservableGauge("ecomgo.reviews.analyses_per_minute", AnalysesInLastMinute, "{review}/min", "Reviews analysed in the last minute.");
        meter.CreateObservableGauge("ecomgo.reviews.reanalysis.remaining", () => Interlocked.Read(ref _reanalysisRemaining), "{review}", "Reviews still queued for re-analysis.");
        if (backlog is not null)
        {
            meter.CreateObservableGauge("ecomgo.reviews.pending", () => backlog.Pending, "{review}", "Reviews known and not analysed yet.");
            meter.CreateObservableGauge("ecomgo.reviews.oldest_pending_age", () => backlog.OldestPendingAge(_time.GetUtcNow()).TotalSeconds, "s",
                "How long the oldest pending review has been waiting.");
        }
    }

    public ActivitySource ActivitySource { get; } = new(Name);

    public void RecordClassified(SentimentLabel label, string model, string classifier, string source, TimeSpan perReview)
    {
        var tags = new TagList { { "label", label.ToWire() }, { "model", model }, { "classifier", classifier }, { "source", source } };
        _classified.Add(1, tags);
        _classificationDuration.Record(perReview.TotalSeconds, new TagList { { "model", model } });
        lock (_gate)
        {
            _recent.Enqueue(_time.GetUtcNow().UtcTicks);
        }
    }

    public int AnalysesInLastMinute()
    {
        var cutoff = (_time.GetUtcNow() - TimeSpan.FromMinutes(1)).UtcTicks;
        lock (_gate)
        {
            while (_recent.Count > 0 && _recent.Peek() < cutoff)
            {
                _recent.Dequeue();
            }

            return _recent.Count;
        }
    }

    public void RecordFallback(string model, string reason) =>
        _fallbacks.Add(1, new TagList { { "model", model }, { "reason", reason } });

    public void RecordRepairAttempt(string model) => _repairs.Add(1, new TagList { { "model", model } });

    public void RecordFailure(string kind) => _failures.Add(1, new TagList { { "kind", kind } });

    public void RecordLlmCall(TimeSpan duration, string model) =>
        _llmCallDuration.Record(duration.TotalSeconds, new TagList { { "model", model } });

    public void SetReanalysisRemaining(long remaining) => Interlocked.Exchange(ref _reanalysisRemaining, remaining);
}
