using EcomGo.Recommender.Ranking;

namespace EcomGo.Recommender.Evaluation.Methods;

/// <summary>
/// The production hybrid: the service's four signals, blended by <see cref="HybridRanker"/> (the production code).
/// Each component uses the hyperparameters its stand-alone method was tuned to; the blend weights are tuned by
/// <see cref="Tuner.TuneHybrid"/>. Candidates are the top <see cref="HybridWeights.CandidatesPerComponent"/> of
/// each component, as the service gathers them (nearest vectors, co-interactions, own items, popular items).
/// </summary>
public sealed class HybridMethod(ItemKnnMethod itemKnn, EaseMethod ease, ContentMethod? content) : RecommendationMethod
{
    public override string Name => "hybrid";

    /// <summary>The settings of the component methods, chosen before the blend is tuned.</summary>
    public required Settings ItemKnnSettings { get; set; }

    /// <summary>When set, the co-interaction weights are EASE's with this λ (sparsified), else item-kNN's cosine.</summary>
    public double? EaseLambda { get; set; }

    /// <summary>Neighbours kept per item when EASE weights are used.</summary>
    public const int EaseNeighbours = 200;
    public Settings? ContentSettings { get; set; }
    public required Settings RepeatSettings { get; set; }
    public required Settings PopularitySettings { get; set; }

    public static HybridWeights ToWeights(Settings settings) => new()
    {
        Content = settings.GetValueOrDefault(nameof(HybridWeights.Content)),
        CoInteraction = settings.GetValueOrDefault(nameof(HybridWeights.CoInteraction)),
        RepeatPurchase = settings.GetValueOrDefault(nameof(HybridWeights.RepeatPurchase)),
        Popularity = settings.GetValueOrDefault(nameof(HybridWeights.Popularity)),
    };

    public static Settings ToSettings(HybridWeights weights) => Settings.Of(
        (nameof(HybridWeights.Content), weights.Content),
        (nameof(HybridWeights.CoInteraction), weights.CoInteraction),
        (nameof(HybridWeights.RepeatPurchase), weights.RepeatPurchase),
        (nameof(HybridWeights.Popularity), weights.Popularity));

    public override IRecommender Fit(TrainingSet train, Settings settings) => FitComponents(train, ToWeights(settings));

    public HybridRecommender FitComponents(TrainingSet train, HybridWeights weights) => new(
        train, weights, CoInteraction(train), EaseLambda is null ? ItemKnnSettings : null,
        content is not null && ContentSettings is not null ? (content.Embeddings, ContentSettings[ContentMethod.HalfLife]) : null,
        RepeatSettings[RepeatPurchaseMethod.HalfLife],
        RecentPopularityMethod.Scores(train, PopularitySettings[RecentPopularityMethod.HalfLife]));

    private ItemNeighbours CoInteraction(TrainingSet train)
    {
        if (EaseLambda is not { } lambda) return itemKnn.NeighboursOf(train);
        var model = ease.ModelOf(train, lambda);
        return ItemNeighbours.FromEase(model, train.ItemCount, EaseNeighbours);
    }
}

public sealed class HybridRecommender(
    TrainingSet train, HybridWeights weights, ItemNeighbours neighbours, Settings? itemKnnSettings,
    (ItemEmbeddings Embeddings, double HalfLifeDays)? content, double repeatHalfLifeDays, float[] popularity) : IRecommender
{
    private readonly float[] returnRate = ReturnRate(train);

    /// <summary>Interactions per distinct shopper of each item (1 = nobody comes back to it).</summary>
    public static float[] ReturnRate(TrainingSet train)
    {
        var rows = new int[train.ItemCount];
        foreach (var e in train.Interactions) rows[e.Item]++;
        return [.. rows.Select((r, i) => train.ItemUsers[i].Length == 0 ? 1f : (float)r / train.ItemUsers[i].Length)];
    }

    public HybridWeights Weights => weights;

    public int[] Recommend(int user, int k, int[] excluded) =>
        [.. HybridRanker.Rank(Candidates(user, excluded), weights, k).Select(r => r.Item)];

    /// <summary>The union of each component's best items (excluded ones left out), most popular first, with all four raw scores.</summary>
    public RankingCandidate<int>[] Candidates(int user, int[] excluded)
    {
        var n = train.ItemCount;
        var co = new float[n];
        if (itemKnnSettings is null)
        {
            ItemKnnMethod.Scores(train, neighbours, user, int.MaxValue, double.PositiveInfinity, co, binary: true);
        }
        else
        {
            ItemKnnMethod.Scores(train, neighbours, user, (int)itemKnnSettings[ItemKnnMethod.Neighbours], itemKnnSettings[ItemKnnMethod.HalfLife], co);
        }
        var own = new float[n];
        RepeatPurchaseMethod.Scores(train, user, repeatHalfLifeDays, own);
        // "Buy again" = how often this shopper took the item x how often shoppers in general come back to it
        // (interactions per shopper of the item), so staples outrank one-off purchases of the same count.
        for (var i = 0; i < n; i++)
        {
            if (own[i] > 0) own[i] *= returnRate[i];
        }
        var similar = new float[n];
        if (content is { } c) ContentMethod.Scores(train, c.Embeddings, user, c.HalfLifeDays, similar);

        var pool = new bool[n];
        var perComponent = weights.CandidatesPerComponent;
        foreach (var scores in new[] { co, own, similar })
        {
            foreach (var item in DenseRecommender.TopK((float[])scores.Clone(), perComponent, excluded, train.PopularityOrder))
            {
                if (scores[item] > 0) pool[item] = true;
            }
        }
        // Popular items always fill the pool, so a list is complete even for a user the other signals know nothing about.
        foreach (var item in DenseRecommender.TopK((float[])popularity.Clone(), perComponent, excluded, train.PopularityOrder)) pool[item] = true;

        var candidates = new List<RankingCandidate<int>>();
        foreach (var item in train.PopularityOrder)
        {
            if (!pool[item]) continue;
            candidates.Add(new RankingCandidate<int>(item, new ComponentScores(similar[item], co[item], own[item], popularity[item])));
        }
        return [.. candidates];
    }
}
