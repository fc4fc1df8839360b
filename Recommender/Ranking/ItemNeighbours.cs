using System.Numerics.Tensors;

namespace EcomGo.Recommender.Ranking;

/// <summary>
/// Item-to-item weights for the co-interaction signal: each item's most related items, strongest first. A shopper's
/// co-interaction score for item j is the sum over their items i of weight(i, j). Two ways to learn the weights, chosen
/// per data set by the offline evaluation: cosine on co-occurrence (<see cref="Cosine"/>) and EASE (<see cref="Ease"/>),
/// a regression of each item on all others that discounts popular "goes with everything" items.
/// </summary>
public sealed class ItemNeighbours
{
    public required int[][] Ids { get; init; }

    public required float[][] Weights { get; init; }

    /// <summary>Cosine similarity on the binary user-item matrix: co-occurrences / sqrt(users of i * users of j).</summary>
    /// <param name="itemUsers">Distinct users per item.</param>
    /// <param name="userItems">Distinct items per user.</param>
    public static ItemNeighbours Cosine(IReadOnlyList<int[]> itemUsers, IReadOnlyList<int[]> userItems, int maxNeighbours)
    {
        var itemCount = itemUsers.Count;
        var ids = new int[itemCount][];
        var weights = new float[itemCount][];
        Parallel.For(0, itemCount, () => new int[itemCount], (i, _, counts) =>
        {
            var touched = new List<int>();
            foreach (var u in itemUsers[i])
            {
                foreach (var j in userItems[u])
                {
                    if (j != i && counts[j]++ == 0) touched.Add(j);
                }
            }
            var row = new (int Item, float Weight)[touched.Count];
            for (var t = 0; t < touched.Count; t++)
            {
                var j = touched[t];
                row[t] = (j, (float)(counts[j] / Math.Sqrt((double)itemUsers[i].Length * itemUsers[j].Length)));
                counts[j] = 0;
            }
            (ids[i], weights[i]) = Strongest(row, maxNeighbours);
            return counts;
        }, _ => { });
        return new ItemNeighbours { Ids = ids, Weights = weights };
    }

    /// <summary>
    /// EASE (Steck 2019): P = (XᵀX + λI)⁻¹, B = -P / diag(P), zero diagonal; each row keeps its strongest positive weights.
    /// The dense solve is cubic in the item count, so only the <paramref name="maxItems"/> most popular items take part.
    /// </summary>
    public static ItemNeighbours Ease(IReadOnlyList<int[]> itemUsers, IReadOnlyList<int[]> userItems, double lambda, int maxItems, int maxNeighbours) =>
        FromEase(EaseModel.Solve(itemUsers, userItems, lambda, maxItems), itemUsers.Count, maxNeighbours);

    /// <summary>The strongest positive weights of each row of a solved EASE model.</summary>
    public static ItemNeighbours FromEase(EaseModel model, int itemCount, int maxNeighbours)
    {
        var ids = new int[itemCount][];
        var weights = new float[itemCount][];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = [];
            weights[i] = [];
        }
        var n = model.Items.Length;
        Parallel.For(0, n, p =>
        {
            var row = model.Weights.AsSpan(p * n, n);
            var candidates = new List<(int Item, float Weight)>();
            for (var q = 0; q < n; q++)
            {
                if (row[q] > 0) candidates.Add((model.Items[q], row[q]));
            }
            (ids[model.Items[p]], weights[model.Items[p]]) = Strongest([.. candidates], maxNeighbours);
        });
        return new ItemNeighbours { Ids = ids, Weights = weights };
    }

    private static (int[], float[]) Strongest((int Item, float Weight)[] row, int max)
    {
        Array.Sort(row, (a, b) => b.Weight != a.Weight ? b.Weight.CompareTo(a.Weight) : a.Item.CompareTo(b.Item));
        var keep = Math.Min(max, row.Length);
        return ([.. row[..keep].Select(r => r.Item)], [.. row[..keep].Select(r => r.Weight)]);
    }
}

/// <summary>A dense EASE solution over the most popular items: <see cref="Weights"/> is row-major n x n, B[i, j] at i * n + j.</summary>
public sealed record EaseModel(int[] Items, int[] Position, float[] Weights)
{
    public static EaseModel Solve(IReadOnlyList<int[]> itemUsers, IReadOnlyList<int[]> userItems, double lambda, int maxItems)
    {
        var items = Enumerable.Range(0, itemUsers.Count).Where(i => itemUsers[i].Length > 0)
            .OrderByDescending(i => itemUsers[i].Length).ThenBy(i => i).Take(maxItems).ToArray();
        var n = items.Length;
        var position = new int[itemUsers.Count];
        Array.Fill(position, -1);
        for (var p = 0; p < n; p++) position[items[p]] = p;

        // Gram matrix XᵀX (co-occurrence counts) plus λ on the diagonal, inverted in place.
        var gram = new float[n * n];
        foreach (var bought in userItems)
        {
            var mapped = bought.Select(i => position[i]).Where(p => p >= 0).ToArray();
            foreach (var a in mapped)
            {
                foreach (var b in mapped) gram[a * n + b] += 1;
            }
        }
        for (var p = 0; p < n; p++) gram[p * n + p] += (float)lambda;
        InvertSymmetricPositiveDefinite(gram, n);

        var diagonal = Enumerable.Range(0, n).Select(j => gram[j * n + j]).ToArray();
        Parallel.For(0, n, i =>
        {
            var row = gram.AsSpan(i * n, n);
            for (var j = 0; j < n; j++) row[j] = i == j ? 0f : -row[j] / diagonal[j];
        });
        return new EaseModel(items, position, gram);
    }

    /// <summary>In-place Gauss-Jordan inversion; a symmetric positive definite matrix needs no pivoting. Row-parallel, vectorised.</summary>
    public static void InvertSymmetricPositiveDefinite(float[] a, int n)
    {
        var pivotRow = new float[n];
        for (var k = 0; k < n; k++)
        {
            var inverse = 1f / a[k * n + k];
            var row = a.AsSpan(k * n, n);
            TensorPrimitives.Multiply(row, inverse, row);
            row[k] = inverse;
            row.CopyTo(pivotRow);
            Parallel.For(0, n, i =>
            {
                if (i == k) return;
                var target = a.AsSpan(i * n, n);
                var factor = target[k];
                if (factor == 0) return;
                // target -= factor * pivot row; the pivot column then holds -factor / pivot.
                TensorPrimitives.MultiplyAdd(pivotRow, -factor, target, target);
                target[k] = -factor * inverse;
            });
        }
    }
}
