namespace EcomGo.Recommender.Ranking;

/// <summary>The signals the hybrid blends; the one that contributed most to an item is its "reason".</summary>
public enum RankingComponent
{
    /// <summary>"Because you viewed X" / "matches what you like": embedding similarity to the shopper profile.</summary>
    Content,

    /// <summary>"Shoppers who bought X also bought this": item-to-item co-interaction.</summary>
    CoInteraction,

    /// <summary>"You bought this before".</summary>
    RepeatPurchase,

    /// <summary>"Popular this week".</summary>
    Popularity,
}

/// <summary>
/// Raw, non-negative scores of one candidate item for one shopper, higher = better, each on its own scale
/// (a cosine, a co-occurrence sum, a decayed count...). Zero means "this signal knows nothing about the item".
/// </summary>
public readonly record struct ComponentScores(double Content, double CoInteraction, double RepeatPurchase, double Popularity)
{
    public double this[RankingComponent component] => component switch
    {
        RankingComponent.Content => Content,
        RankingComponent.CoInteraction => CoInteraction,
        RankingComponent.RepeatPurchase => RepeatPurchase,
        RankingComponent.Popularity => Popularity,
        _ => throw new ArgumentOutOfRangeException(nameof(component), component, null),
    };
}

/// <summary>A candidate item and its component scores.</summary>
public readonly record struct RankingCandidate<TItem>(TItem Item, ComponentScores Scores);

/// <summary>A ranked item: blended score in [0, sum of weights] and the component that contributed most.</summary>
public readonly record struct RankedItem<TItem>(TItem Item, double Score, RankingComponent Reason);
