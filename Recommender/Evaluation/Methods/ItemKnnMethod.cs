using System.Runtime.CompilerServices;
using EcomGo.Recommender.Ranking;

namespace EcomGo.Recommender.Evaluation.Methods;

/// <summary>
/// Item-kNN: cosine similarity of items on the binary user-item co-occurrence matrix, each item keeping its k most
/// similar neighbours; a user's score for j is the sum over their items i (event-weighted, decayed) of sim(i, j).
/// This is the "co-interaction" component of the hybrid.
/// </summary>
public sealed class ItemKnnMethod : RecommendationMethod
{
    public const string Neighbours = "k";
    public const string HalfLife = "half-life-days";
    private const int MaxNeighbours = 200;

    // The neighbour lists do not depend on the settings: built once per training set.
    private readonly ConditionalWeakTable<TrainingSet, ItemNeighbours> _neighbours = [];

    public override string Name => "item-knn";

    public override IEnumerable<Settings> Grid(TrainingSet train) =>
        from k in new[] { 20, 50, 100, 200 }
        from h in HalfLives(train, double.PositiveInfinity, 1.0 / 4, 1.0 / 16)
        select Settings.Of((Neighbours, k), (HalfLife, h));

    public override IRecommender Fit(TrainingSet train, Settings settings) =>
        new Scorer(train, NeighboursOf(train), (int)settings[Neighbours], settings[HalfLife]);

    public ItemNeighbours NeighboursOf(TrainingSet train) => _neighbours.GetValue(train, t => ItemNeighbours.Cosine(t.ItemUsers, t.UserItems, MaxNeighbours));

    /// <summary>Adds the co-interaction scores of <paramref name="user"/> into <paramref name="scores"/>.</summary>
    /// <remarks>With <paramref name="binary"/> every item of the user counts once (as EASE weights are learned).</remarks>
    public static void Scores(TrainingSet train, ItemNeighbours neighbours, int user, int k, double halfLifeDays, float[] scores, bool binary = false)
    {
        var history = binary ? train.UserItems[user].Select(i => (Item: i, Weight: 1.0)).ToList() : train.WeightedItems(user, halfLifeDays);
        foreach (var (item, weight) in history)
        {
            var ids = neighbours.Ids[item];
            var sims = neighbours.Weights[item];
            for (var n = 0; n < Math.Min(k, ids.Length); n++) scores[ids[n]] += (float)(weight * sims[n]);
        }
    }

    private sealed class Scorer(TrainingSet train, ItemNeighbours neighbours, int k, double halfLifeDays) : DenseRecommender(train)
    {
        protected override void Score(int user, float[] scores) => Scores(Train, neighbours, user, k, halfLifeDays, scores);
    }
}

