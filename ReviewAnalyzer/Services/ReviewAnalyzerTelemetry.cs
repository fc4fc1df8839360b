using System.Diagnostics;
using System.Diagnostics.Metrics;
using EcomGo.ReviewAnalyzer.Data;

namespace EcomGo.ReviewAnalyzer.Services;

/// <summary>
/// The service's own spans and metrics ("EcomGo.ReviewAnalyzer"; ServiceDefaults exports "EcomGo.*").
/// LLM calls are traced, with token counts, by the IChatClient pipeline registered in ServiceDefaults.
/// </summary>
public sealed class ReviewAnalyzerTelemetry
{
    public const string Name = "EcomGo.ReviewAnalyzer";

    private readonly Counter<long> _classified;
    private readonly Counter<long> _fallbacks;
    private readonly Histogram<double> _classificationDuration;
    private readonly Histogram<double> _llmCallDuration;

    public ReviewAnalyzerTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        _classified = meter.CreateCounter<long>("ecomgo.reviews.classified", "{review}", "Reviews classified, by label, model and source (event or sweep).");
        _fallbacks = meter.CreateCounter<long>("ecomgo.reviews.llm_fallbacks", "{review}", "Reviews the LLM path handed to the local classifier, by reason.");
        _classificationDuration = meter.CreateHistogram<double>("ecomgo.reviews.classification.duration", "s", "Time to classify one review.");
        _llmCallDuration = meter.CreateHistogram<double>("ecomgo.reviews.llm_call.duration", "s", "Time of one sentiment LLM call.");
    }

    public ActivitySource ActivitySource { get; } = new(Name);

    public void RecordClassified(SentimentLabel label, string model, string source, TimeSpan perReview)
    {
        var tags = new TagList { { "label", label.ToWire() }, { "model", model }, { "source", source } };
        _classified.Add(1, tags);
        _classificationDuration.Record(perReview.TotalSeconds, new TagList { { "model", model } });
    }

    public void RecordFallback(string model, string reason) =>
        _fallbacks.Add(1, new TagList { { "model", model }, { "reason", reason } });

    public void RecordLlmCall(TimeSpan duration, string model) =>
        _llmCallDuration.Record(duration.TotalSeconds, new TagList { { "model", model } });
}
