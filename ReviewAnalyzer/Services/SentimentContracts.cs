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
public sealed record SentimentResult(SentimentLabel Label, double Confidence, string Model);

/// <summary>Classifies reviews as positive, neutral or negative. Chosen once at start-up: LLM when the 'fast' model exists, else local.</summary>
public interface ISentimentClassifier
{
    /// <summary>Model name stored with results, e.g. "ollama:llama3.2:1b" or "local:minilm-centroid+rating".</summary>
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
