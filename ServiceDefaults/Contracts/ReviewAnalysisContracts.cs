namespace EcomGo.ServiceDefaults.Contracts;

// The ReviewAnalyzer's HTTP contract (sentiments, opinions, re-analysis), shared with its callers (ChatAgent, tests).

public sealed record SentimentDto(int ReviewId, string Label, double Confidence, IReadOnlyList<string> Aspects, string Classifier,
    string Model, string? ModelDigest, string PromptVersion, DateTimeOffset AnalyzedAt);

public sealed record OpinionDto(int ProductId, string Summary, int Positive, int Neutral, int Negative,
    IReadOnlyList<string> Praised, IReadOnlyList<string> Criticised, string Model, DateTimeOffset UpdatedAt);

/// <summary>Body of <c>POST /api/reanalysis</c>; scope defaults to "outdated".</summary>
public sealed record ReanalysisRequest(string? Scope);

public sealed record SentimentStatsDto(
    int Analyzed,
    int Pending,
    IReadOnlyDictionary<string, int> ByLabel,
    IReadOnlyDictionary<string, int> ByModel,
    IReadOnlyDictionary<string, int> ByClassifier,
    int Opinions,
    string Classifier,
    string PromptVersion,
    int HighestSeenReviewId,
    DateTimeOffset? LastSweepCompletedAt,
    string? LastSweepError);
