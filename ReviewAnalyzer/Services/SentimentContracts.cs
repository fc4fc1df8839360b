using System.Security.Cryptography;
using System.Text;
using EcomGo.ReviewAnalyzer.Data;

namespace EcomGo.ReviewAnalyzer.Services;

/// <summary>A review as it arrives from an event or the Storefront's feed. Its text is untrusted data.</summary>
public sealed record ReviewInput(int ReviewId, int ProductId, int Rating, string Title, string Text)
{
    /// <summary>SHA-256 (hex) of title and text: a review needs re-analysis only when this changes.</summary>
    public string Digest => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Title}\n{Text}")));

    /// <summary>Title and text as one passage (what the classifiers read).</summary>
    public string FullText => string.IsNullOrWhiteSpace(Title) ? Text : $"{Title.Trim().TrimEnd('.', '!', '?')}. {Text}";
}

/// <summary>One classification: the label, how sure the classifier is (0..1) and which model decided.</summary>
public sealed record SentimentResult(SentimentLabel Label, double Confidence, string Model)
{
    /// <summary>The aspects the review talks about; empty when the classifier gives none (the local aspect extractor fills them in).</summary>
    public IReadOnlyList<ReviewAspect> Aspects { get; init; } = [];

    /// <summary>What decided: see <see cref="ClassifierKinds"/>.</summary>
    public string Classifier { get; init; } = ClassifierKinds.Local;

    /// <summary>Ollama's digest of the model, when an LLM decided.</summary>
    public string? ModelDigest { get; init; }
}

/// <summary>One aspect of a review ("battery") and the reviewer's sentiment about it.</summary>
public sealed record ReviewAspect(string Name, SentimentLabel Sentiment)
{
    public const int MaxNameLength = 40;

    public override string ToString() => $"{Name}: {Sentiment.ToWire()}";

    /// <summary>Reads <c>{"aspect"|"name": "...", "sentiment"|"label": "..."}</c> or a <c>"battery: negative"</c> string; names are trimmed and lower-cased.</summary>
    public static bool TryRead(System.Text.Json.JsonElement item, out ReviewAspect aspect)
    {
        aspect = null!;
        string? name = null, sentiment = null;
        if (item.ValueKind == System.Text.Json.JsonValueKind.String && item.GetString() is { } text && text.LastIndexOf(':') is var colon and > 0)
        {
            (name, sentiment) = (text[..colon], text[(colon + 1)..]);
        }
        else if (item.ValueKind == System.Text.Json.JsonValueKind.Object)
        {
            foreach (var property in item.EnumerateObject())
            {
                if (property.Value.ValueKind != System.Text.Json.JsonValueKind.String)
                {
                    continue;
                }

                if (property.NameEquals("aspect") || property.NameEquals("name"))
                {
                    name = property.Value.GetString();
                }
                else if (property.NameEquals("sentiment") || property.NameEquals("label"))
                {
                    sentiment = property.Value.GetString();
                }
            }
        }

        name = Normalize(name);
        if (name.Length == 0 || !SentimentLabels.TryParse(sentiment, out var label))
        {
            return false;
        }

        aspect = new ReviewAspect(name, label);
        return true;
    }

    public static string Normalize(string? name)
    {
        var cleaned = new string((name ?? "").Trim().ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) || c is ' ' or '-' ? c : ' ').ToArray());
        cleaned = string.Join(' ', cleaned.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return cleaned.Length <= MaxNameLength ? cleaned : cleaned[..MaxNameLength].TrimEnd();
    }
}

/// <summary>The values of a result's classifier field.</summary>
public static class ClassifierKinds
{
    public const string Llm = "llm";
    /// <summary>The LLM's second answer, after its first one did not match the schema.</summary>
    public const string LlmRepaired = "llm-repaired";
    public const string Local = "local";
    public const string FallbackPrefix = "local-fallback:";

    /// <summary>The local classifier decided because the LLM path could not: invalid-output, model-error or suspected-injection.</summary>
    public static string Fallback(string reason) => FallbackPrefix + reason;

    public static bool IsLlm(string classifier) => classifier is Llm or LlmRepaired;
}

/// <summary>Classifies reviews as positive, neutral or negative. Chosen once at start-up: LLM when the 'fast' model exists, else local.</summary>
public interface ISentimentClassifier
{
    /// <summary>Model name stored with results, e.g. "ollama:llama3.2:1b" or "local:minilm-vader-logreg+rating".</summary>
    string ModelName { get; }

    /// <summary>Version of the prompt/algorithm, stored with each result; a new version re-analyses old results on the next full sweep.</summary>
    string PromptVersion { get; }

    /// <summary>One result per input, in order.</summary>
    Task<IReadOnlyList<SentimentResult>> ClassifyAsync(IReadOnlyList<ReviewInput> reviews, CancellationToken cancellationToken = default);
}

public static class SentimentLabels
{
    public static string ToWire(this SentimentLabel label) => label switch
    {
        SentimentLabel.Positive => "positive",
        SentimentLabel.Negative => "negative",
        _ => "neutral",
    };

    public static bool TryParse(string? value, out SentimentLabel label)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "positive": label = SentimentLabel.Positive; return true;
            case "neutral": label = SentimentLabel.Neutral; return true;
            case "negative": label = SentimentLabel.Negative; return true;
            default: label = SentimentLabel.Neutral; return false;
        }
    }
}
