using System.Runtime.CompilerServices;

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

    public ItemNeighbours NeighboursOf(TrainingSet train) => _neighbours.GetValue(train, t => ItemNeighbours.Build(t, MaxNeighbours));

    /// <summary>Adds the co-interaction scores of <paramref name="user"/> into <paramref name="scores"/>.</summary>
    public static void Scores(TrainingSet train, ItemNeighbours neighbours, int user, int k, double halfLifeDays, float[] scores)
    {
        foreach (var (item, weight) in train.WeightedItems(user, halfLifeDays))
        {
            var ids = neighbours.Ids[item];
            var sims = neighbours.Similarities[item];
            for (var n = 0; n < Math.Min(k, ids.Length); n++) scores[ids[n]] += (float)(weight * sims[n]);
        }
    }

    private sealed class Scorer(TrainingSet train, ItemNeighbours neighbours, int k, double halfLifeDays) : DenseRecommender(train)
    {
        protected override void Score(int user, float[] scores) => Scores(Train, neighbours, user, k, halfLifeDays, scores);
    }
}

/// <summary>Each item's most similar items (cosine on co-occurrence), most similar first.</summary>
public sealed class ItemNeighbours
{
    public required int[][] Ids { get; init; }

    public required float[][] Similarities { get; init; }

    public static ItemNeighbours Build(TrainingSet train, int maxNeighbours)
    {
        var ids = new int[train.ItemCount][];
        var sims = new float[train.ItemCount][];
        Parallel.For(0, train.ItemCount, () => new int[train.ItemCount], (i, _, counts) =>
        {
            var touched = new List<int>();
            foreach (var u in train.ItemUsers[i])
            {
                foreach (var j in train.UserItems[u])
                {
                    if (j == i) continue;
                    if (counts[j]++ == 0) touched.Add(j);
                }
            }
            var ni = train.ItemUsers[i].Length;
            var row = new (int Item, float Sim)[touched.Count];
            for (var t = 0; t < touched.Count; t++)
            {
                var j = touched[t];
                row[t] = (j, (float)(counts[j] / Math.Sqrt((double)ni * train.ItemUsers[j].Length)));
                counts[j] = 0;
            }
            Array.Sort(row, (a, b) => b.Sim != a.Sim ? b.Sim.CompareTo(a.Sim) : a.Item.CompareTo(b.Item));
            var keep = Math.Min(maxNeighbours, row.Length);
            ids[i] = [.. row[..keep].Select(r => r.Item)];
            sims[i] = [.. row[..keep].Select(r => r.Sim)];
            return counts;
        }, _ => { });
        return new ItemNeighbours { Ids = ids, Similarities = sims };
    }
}
