using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EcomGo.ChatAgent.Services;

/// <summary>The assistant's own spans and metrics (ServiceDefaults exports every "EcomGo.*" source and meter).</summary>
public sealed class ChatTelemetry : IDisposable
{
    public const string Name = "EcomGo.ChatAgent";

    private readonly Meter _meter;

    public ChatTelemetry(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(Name);
        Turns = _meter.CreateCounter<long>("ecomgo.chat.turns", description: "Chat turns by outcome (completed, error, refused-leak) and mode (llm, no-llm)");
        ToolCalls = _meter.CreateCounter<long>("ecomgo.chat.tool_calls", description: "Tool calls by tool name and outcome");
        UnbackedPrices = _meter.CreateCounter<long>("ecomgo.chat.grounding.unbacked_prices", description: "Prices in answers that no tool result of the turn returned");
        UngroundedAnswers = _meter.CreateCounter<long>("ecomgo.chat.grounding.ungrounded_answers", description: "Answers mentioning a product, price or manufacturer no tool returned");
        FirstToken = _meter.CreateHistogram<double>("ecomgo.chat.first_token", unit: "ms", description: "Time from the shopper's message to the first answer text");
        TurnDuration = _meter.CreateHistogram<double>("ecomgo.chat.turn_duration", unit: "ms", description: "Whole turn");
    }

    public ActivitySource ActivitySource { get; } = new(Name);
    public Counter<long> Turns { get; }
    public Counter<long> ToolCalls { get; }
    public Counter<long> UnbackedPrices { get; }
    public Counter<long> UngroundedAnswers { get; }
    public Histogram<double> FirstToken { get; }
    public Histogram<double> TurnDuration { get; }

    public void Dispose()
    {
        ActivitySource.Dispose();
        _meter.Dispose();
    }
}
