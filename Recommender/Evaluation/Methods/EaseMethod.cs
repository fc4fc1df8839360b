using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using EcomGo.Recommender.Ranking;

namespace EcomGo.Recommender.Evaluation.Methods;

/// <summary>
/// EASE (Steck 2019), a linear item-item model for implicit feedback with a closed form (see <see cref="EaseModel"/>);
/// score = x_u B with the full dense B. The solve runs on the <see cref="MaxItems"/> most popular training items.
/// </summary>
public sealed class EaseMethod : RecommendationMethod
{
    public const string Lambda = "lambda";
    public const int MaxItems = 3000;

    // Solved models per training set and λ, so the hybrid can reuse the one the tuning already paid for.
    private readonly ConditionalWeakTable<TrainingSet, Dictionary<double, EaseModel>> _models = [];

    public override string Name => "ease";

    public override IEnumerable<Settings> Grid(TrainingSet train) =>
        new[] { 20.0, 100, 500 }.Select(l => Settings.Of((Lambda, l)));

    public override IRecommender Fit(TrainingSet train, Settings settings) => new Scorer(train, ModelOf(train, settings[Lambda]));

    public EaseModel ModelOf(TrainingSet train, double lambda)
    {
        var models = _models.GetOrCreateValue(train);
        lock (models)
        {
            if (!models.TryGetValue(lambda, out var model))
            {
                models[lambda] = model = EaseModel.Solve(train.ItemUsers, train.UserItems, lambda, MaxItems);
            }
            return model;
        }
    }

    private sealed class Scorer(TrainingSet train, EaseModel model) : DenseRecommender(train)
    {
        protected override void Score(int user, float[] scores)
        {
            var n = model.Items.Length;
            var row = new float[n];
            foreach (var item in Train.UserItems[user])
            {
                var p = model.Position[item];
                if (p >= 0) TensorPrimitives.Add(row, model.Weights.AsSpan(p * n, n), row);
            }
            // Items outside the solved set stay at 0.
            for (var q = 0; q < n; q++) scores[model.Items[q]] = row[q];
        }
    }
}
