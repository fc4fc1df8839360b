using Microsoft.Extensions.Options;

namespace EcomGo.Recommender.Ranking;

/// <summary>
/// The production hybrid: blends per-candidate component scores into one ranking. The offline evaluation
/// (<c>Evaluation/</c>) ranks with this same class, so the figures it reports are the service's.
/// </summary>
/// <remarks>
/// Each component is divided by its maximum over the candidates (so every signal spans [0, 1] for this
/// shopper and a weight compares like with like whatever the raw scale), then the weighted sum is ranked.
/// Negative raw scores (e.g. a negative cosine) count as zero. Ties keep the candidates' input order, so
/// callers can pass candidates in a meaningful order (e.g. by popularity) as a stable tie-break.
/// </remarks>
public sealed class HybridRanker(IOptionsMonitor<HybridWeights> weights)
{
    private static readonly RankingComponent[] Components = Enum.GetValues<RankingComponent>();

    /// <summary>Ranks with the configured weights.</summary>
    public IReadOnlyList<RankedItem<TItem>> Rank<TItem>(IReadOnlyList<RankingCandidate<TItem>> candidates, int count) =>
        Rank(candidates, weights.CurrentValue, count);

    /// <summary>Ranks <paramref name="candidates"/> and returns the best <paramref name="count"/>, each with its dominant component.</summary>
    public static IReadOnlyList<RankedItem<TItem>> Rank<TItem>(IReadOnlyList<RankingCandidate<TItem>> candidates, HybridWeights weights, int count)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(weights);
        if (count <= 0 || candidates.Count == 0) return [];

        // Per-component scale factor: weight / max over candidates (0 when the component is silent or off).
        Span<double> scale = stackalloc double[Components.Length];
        foreach (var component in Components)
        {
            var max = 0.0;
            foreach (var candidate in candidates) max = Math.Max(max, candidate.Scores[component]);
            var weight = Math.Max(0, weights[component]);
            scale[(int)component] = max > 0 && weight > 0 ? weight / max : 0;
        }

        var ranked = new RankedItem<TItem>[candidates.Count];
        for (var i = 0; i < candidates.Count; i++)
        {
            var total = 0.0;
            var best = -1.0;
            var reason = RankingComponent.Popularity;
            foreach (var component in Components)
            {
                var contribution = Math.Max(0, candidates[i].Scores[component]) * scale[(int)component];
                total += contribution;
                if (contribution > best)
                {
                    best = contribution;
                    reason = component;
                }
            }
            ranked[i] = new RankedItem<TItem>(candidates[i].Item, total, best > 0 ? reason : RankingComponent.Popularity);
        }

        // Stable sort on score, descending: equal scores keep input order.
        return [.. ranked.Select((r, i) => (r, i)).OrderByDescending(x => x.r.Score).ThenBy(x => x.i).Take(count).Select(x => x.r)];
    }
}
