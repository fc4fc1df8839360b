namespace EcomGo.Recommender.Evaluation.Methods;

/// <summary>All-time popularity: the items most distinct users touched.</summary>
public sealed class PopularityMethod : RecommendationMethod
{
    public override string Name => "popularity";

    public override IRecommender Fit(TrainingSet train, Settings settings) => new Scorer(train);

    private sealed class Scorer(TrainingSet train) : DenseRecommender(train)
    {
        protected override void Score(int user, float[] scores)
        {
            for (var i = 0; i < scores.Length; i++) scores[i] = Train.ItemUsers[i].Length;
        }
    }
}

/// <summary>Recent popularity: interactions counted with exponential time decay (half-life tuned).</summary>
public sealed class RecentPopularityMethod : RecommendationMethod
{
    public const string HalfLife = "half-life-days";

    public override string Name => "recent-popularity";

    public override IEnumerable<Settings> Grid(TrainingSet train) =>
        HalfLives(train, 1.0 / 4, 1.0 / 16, 1.0 / 64).Select(h => Settings.Of((HalfLife, h)));

    public override IRecommender Fit(TrainingSet train, Settings settings) => new Scorer(train, Scores(train, settings[HalfLife]));

    /// <summary>Decayed interaction count per item.</summary>
    public static float[] Scores(TrainingSet train, double halfLifeDays)
    {
        var scores = new double[train.ItemCount];
        foreach (var e in train.Interactions) scores[e.Item] += train.Decay(e.Ticks, halfLifeDays);
        return [.. scores.Select(s => (float)s)];
    }

    private sealed class Scorer(TrainingSet train, float[] popularity) : DenseRecommender(train)
    {
        protected override void Score(int user, float[] scores) => popularity.CopyTo(scores);
    }
}

/// <summary>Repeat purchase: the user's own items by event-weighted, decayed frequency; then popularity.</summary>
public sealed class RepeatPurchaseMethod : RecommendationMethod
{
    public const string HalfLife = "half-life-days";

    public override string Name => "repeat-purchase";

    public override IEnumerable<Settings> Grid(TrainingSet train) =>
        HalfLives(train, double.PositiveInfinity, 1.0 / 4, 1.0 / 16).Select(h => Settings.Of((HalfLife, h)));

    public override IRecommender Fit(TrainingSet train, Settings settings) => new Scorer(train, settings[HalfLife]);

    /// <summary>The user's decayed frequency per own item (zero elsewhere).</summary>
    public static void Scores(TrainingSet train, int user, double halfLifeDays, float[] scores)
    {
        foreach (var (item, weight) in train.WeightedItems(user, halfLifeDays)) scores[item] = (float)weight;
    }

    private sealed class Scorer(TrainingSet train, double halfLifeDays) : DenseRecommender(train)
    {
        protected override void Score(int user, float[] scores) => Scores(Train, user, halfLifeDays, scores);
    }
}
