using MathNet.Numerics.LinearAlgebra;

namespace EcomGo.Recommender.Evaluation.Methods;

/// <summary>
/// EASE (Steck 2019), a linear latent-free item-item model for implicit feedback with a closed form:
/// P = (XᵀX + λI)⁻¹, B = -P / diag(P) with a zero diagonal; score = x_u B. The dense solve is cubic in the number of
/// items, so it runs on the <see cref="MaxItems"/> most popular training items (all of them in logs up to that size).
/// </summary>
public sealed class EaseMethod : RecommendationMethod
{
    public const string Lambda = "lambda";
    public const int MaxItems = 3000;

    public override string Name => "ease";

    public override IEnumerable<Settings> Grid(TrainingSet train) =>
        new[] { 10.0, 50, 200, 1000 }.Select(l => Settings.Of((Lambda, l)));

    public override IRecommender Fit(TrainingSet train, Settings settings)
    {
        var items = train.PopularityOrder.Where(i => train.ItemUsers[i].Length > 0).Take(MaxItems).ToArray();
        var n = items.Length;
        var position = new int[train.ItemCount];
        Array.Fill(position, -1);
        for (var p = 0; p < n; p++) position[items[p]] = p;

        var gram = Matrix<double>.Build.Dense(n, n);
        var storage = new double[n * n];
        foreach (var userItems in train.UserItems)
        {
            var mapped = userItems.Select(i => position[i]).Where(p => p >= 0).ToArray();
            foreach (var a in mapped)
            {
                foreach (var b in mapped) storage[a * n + b] += 1;
            }
        }
        for (var p = 0; p < n; p++) storage[p * n + p] += settings[Lambda];
        gram = Matrix<double>.Build.Dense(n, n, storage); // symmetric, so row- and column-major agree

        var inverse = gram.Inverse();
        var weights = new float[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                weights[i * n + j] = i == j ? 0f : (float)(-inverse[i, j] / inverse[j, j]);
            }
        }
        return new Scorer(train, items, position, weights);
    }

    private sealed class Scorer(TrainingSet train, int[] items, int[] position, float[] weights) : DenseRecommender(train)
    {
        protected override void Score(int user, float[] scores)
        {
            var n = items.Length;
            var row = new float[n];
            foreach (var item in Train.UserItems[user])
            {
                var p = position[item];
                if (p < 0) continue;
                System.Numerics.Tensors.TensorPrimitives.Add(row, weights.AsSpan(p * n, n), row);
            }
            for (var q = 0; q < n; q++) scores[items[q]] = row[q];
            // Items outside the solved set stay at 0 and fall behind every positive score.
        }
    }
}
