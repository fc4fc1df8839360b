namespace EcomGo.Recommender.Evaluation;

/// <summary>The figures of one method under one protocol, averaged over the evaluated users.</summary>
public sealed record MethodResult(double Precision, double Recall, double Ndcg, double HitRate, double Coverage, double Seconds, int Users);

/// <summary>
/// Top-k metrics with binary relevance: precision = hits / k; recall = hits / |relevant|;
/// NDCG = DCG / ideal DCG with gain 1/log2(rank + 1) (rank from 1) and the ideal list holding min(|relevant|, k) hits;
/// hit rate = 1 if any hit. Coverage = distinct recommended items / catalog size.
/// </summary>
public static class RankingMetrics
{
    public static (double Precision, double Recall, double Ndcg, bool Hit) ForUser(IReadOnlyList<int> ranked, IReadOnlySet<int> relevant, int k)
    {
        if (relevant.Count == 0) throw new ArgumentException("A user without relevant items cannot be evaluated.", nameof(relevant));
        var hits = 0;
        var dcg = 0.0;
        for (var rank = 0; rank < Math.Min(k, ranked.Count); rank++)
        {
            if (relevant.Contains(ranked[rank]))
            {
                hits++;
                dcg += 1.0 / Math.Log2(rank + 2);
            }
        }
        var ideal = 0.0;
        for (var rank = 0; rank < Math.Min(k, relevant.Count); rank++) ideal += 1.0 / Math.Log2(rank + 2);
        return ((double)hits / k, (double)hits / relevant.Count, dcg / ideal, hits > 0);
    }

    public static MethodResult Aggregate(IReadOnlyList<int[]> lists, IReadOnlyList<HashSet<int>> relevant, int k, int catalogSize, double seconds)
    {
        double precision = 0, recall = 0, ndcg = 0, hits = 0;
        var recommended = new HashSet<int>();
        for (var u = 0; u < lists.Count; u++)
        {
            var (p, r, n, h) = ForUser(lists[u], relevant[u], k);
            precision += p;
            recall += r;
            ndcg += n;
            hits += h ? 1 : 0;
            recommended.UnionWith(lists[u]);
        }
        var users = Math.Max(1, lists.Count);
        return new MethodResult(precision / users, recall / users, ndcg / users, hits / users,
            catalogSize == 0 ? 0 : (double)recommended.Count / catalogSize, seconds, lists.Count);
    }
}
