using System.Numerics.Tensors;

namespace EcomGo.Recommender.Evaluation.Methods;

/// <summary>
/// Content similarity: the user's profile is the event-weighted, decayed sum of the embeddings of their items;
/// an item's score is the cosine of its embedding with the profile. The service does the same with pgvector.
/// </summary>
public sealed class ContentMethod(ItemEmbeddings embeddings) : RecommendationMethod
{
    public const string HalfLife = "half-life-days";

    public override string Name => "content";

    public ItemEmbeddings Embeddings => embeddings;

    public override IEnumerable<Settings> Grid(TrainingSet train) =>
        HalfLives(train, double.PositiveInfinity, 1.0 / 4, 1.0 / 16).Select(h => Settings.Of((HalfLife, h)));

    public override IRecommender Fit(TrainingSet train, Settings settings) => new Scorer(train, embeddings, settings[HalfLife]);

    /// <summary>Cosine of every item with the user's profile (zero for a user or an item without a vector).</summary>
    public static void Scores(TrainingSet train, ItemEmbeddings embeddings, int user, double halfLifeDays, float[] scores)
    {
        var dimensions = embeddings.Dimensions;
        var profile = new float[dimensions];
        foreach (var (item, weight) in train.WeightedItems(user, halfLifeDays))
        {
            TensorPrimitives.MultiplyAdd(embeddings.Vector(item), (float)weight, profile, profile);
        }
        var norm = TensorPrimitives.Norm(profile);
        if (norm == 0) return;
        TensorPrimitives.Divide(profile, norm, profile);
        for (var i = 0; i < scores.Length; i++) scores[i] = TensorPrimitives.Dot(embeddings.Vector(i), profile);
    }

    private sealed class Scorer(TrainingSet train, ItemEmbeddings embeddings, double halfLifeDays) : DenseRecommender(train)
    {
        protected override void Score(int user, float[] scores) => Scores(Train, embeddings, user, halfLifeDays, scores);
    }
}
