namespace EcomGo.ReviewAnalyzer;

/// <summary>Tunables of the analysis pipeline, bound from the "ReviewAnalyzer" configuration section.</summary>
public sealed class ReviewAnalyzerOptions
{
    public const string SectionName = "ReviewAnalyzer";

    /// <summary>Base address of the Storefront (resolved by service discovery).</summary>
    public Uri StorefrontUrl { get; set; } = new("http://storefront");

    /// <summary>Reviews fetched per page of the Storefront's feed.</summary>
    public int FeedPageSize { get; set; } = 500;

    /// <summary>Reviews classified and saved together: a restart loses at most one batch of work.</summary>
    public int BatchSize { get; set; } = 16;

    /// <summary>Pause between sweeps of the feed once it is caught up.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Pause before retrying when the Storefront could not be reached.</summary>
    public TimeSpan SweepRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a sweep starts again from the first review to re-check everything (lost events, new prompt versions).</summary>
    public TimeSpan FullSweepInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the opinion worker looks for products whose sentiments changed.</summary>
    public TimeSpan OpinionPollInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>A product's opinion is recomputed once its sentiments have been quiet this long (debounce).</summary>
    public TimeSpan OpinionDebounce { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long an opinion whose summariser failed (template written instead) waits before another attempt.</summary>
    public TimeSpan OpinionRetryInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Reviews given to the LLM for one product summary (each truncated to the stored excerpt).</summary>
    public int SummaryMaxReviews { get; set; } = 20;
}
