namespace EcomGo.Recommender.Ranking;

/// <summary>
/// How much each signal counts in the production hybrid, bound from configuration section
/// <c>Recommender:Hybrid</c>. The defaults are the values the offline evaluation chose on the demo data
/// (<c>dotnet run --project Recommender -- evaluate ...</c> prints the values it tuned for any log); only
/// their ratios matter. A weight of zero switches a signal off, so "one signal alone" is a valid setting
/// and is what the tuning picks when blending does not help. (Popularity 0: popular items still enter the candidate
/// pool and win ties, so a list is never short; unknown shoppers get popular items from the service's cold-start path.)
/// The half-lives below are starting points: the evaluation tunes one per signal and prints them.
/// </summary>
public sealed class HybridWeights
{
    public const string SectionName = "Recommender:Hybrid";

    /// <summary>Similarity of the item's embedding to the shopper's profile vector.</summary>
    public double Content { get; set; } = 0.7;

    /// <summary>Item-to-item co-interaction with what the shopper touched (item-kNN).</summary>
    public double CoInteraction { get; set; } = 1.0;

    /// <summary>The shopper's own repeated interactions with the item ("buy again").</summary>
    public double RepeatPurchase { get; set; } = 1.7;

    /// <summary>Recent popularity across all shoppers; carries little-known shoppers.</summary>
    public double Popularity { get; set; } = 0;

    /// <summary>Half-life of a shopper's interactions when building the profile, co-interaction and repeat scores.</summary>
    public double InteractionHalfLifeDays { get; set; } = 30;

    /// <summary>Window of the "recent popularity" signal.</summary>
    public double PopularityWindowDays { get; set; } = 14;

    /// <summary>
    /// How many of each component's best items enter the blend (the candidate pool is their union, plus the most
    /// popular items so a list is never short).
    /// </summary>
    public int CandidatesPerComponent { get; set; } = 100;

    /// <summary>The weight of one component.</summary>
    public double this[RankingComponent component] => component switch
    {
        RankingComponent.Content => Content,
        RankingComponent.CoInteraction => CoInteraction,
        RankingComponent.RepeatPurchase => RepeatPurchase,
        RankingComponent.Popularity => Popularity,
        _ => throw new ArgumentOutOfRangeException(nameof(component), component, null),
    };

    public override string ToString() =>
        $"content={Content:0.###} co-interaction={CoInteraction:0.###} repeat={RepeatPurchase:0.###} popularity={Popularity:0.###} " +
        $"half-life={InteractionHalfLifeDays:0.#}d popularity-window={PopularityWindowDays:0.#}d";
}
