using EcomGo.Recommender.Evaluation.Methods;
using EcomGo.Recommender.Ranking;

namespace EcomGo.Recommender.Evaluation;

/// <summary>
/// Chooses hyperparameters on validation splits carved from the training part only (the cut-off rule applied inside
/// the training part, and once more inside that, for a second, earlier fold), so the test part is never seen. Two folds
/// double the validation shoppers, which matters on small real logs. The objective is NDCG@k over the pooled
/// validation users of each protocol, averaged over both protocols, so one setting serves both.
/// </summary>
public sealed class Tuner
{
    /// <summary>Tuning uses at most this many validation users per protocol and fold (a fixed spread-out sample).</summary>
    public const int MaxUsers = 2000;

    private static readonly double[] WeightGrid = [0, 0.03, 0.1, 0.2, 0.35, 0.5, 0.7, 1, 1.4, 2, 3, 5, 10];

    private readonly int _k;
    private readonly int _catalogSize;
    private readonly Action<string> _progress;

    public Tuner(IReadOnlyList<TemporalSplit> folds, int k, int catalogSize, Action<string> progress)
    {
        Folds = folds;
        _k = k;
        _catalogSize = catalogSize;
        _progress = progress;
        Targets = [.. folds.SelectMany(f => Protocol.All.Select(p => p.Target(f, MaxUsers)))];
    }

    /// <summary>The validation splits: the first is the cut-off rule inside training, each next one inside the previous training part.</summary>
    public IReadOnlyList<TemporalSplit> Folds { get; }

    public IReadOnlyList<EvaluationTarget> Targets { get; }

    /// <summary>The folds for a test split: the validation split and, when it still has shoppers on both sides, one inside it.</summary>
    public static IReadOnlyList<TemporalSplit> FoldsFor(TemporalSplit split, InteractionLog log)
    {
        var first = split.ValidationSplit(log);
        if (first.TrainCount < 2) return [first];
        var second = first.ValidationSplit(log);
        return second.TestItems.Count > 0 ? [first, second] : [first];
    }

    /// <summary>Pooled per-user NDCG@k per protocol, averaged over the protocols that have validation users.</summary>
    private double Objective(Func<TemporalSplit, IRecommender> fit)
    {
        var perProtocol = Protocol.All.ToDictionary(p => p, _ => new List<double>());
        foreach (var fold in Folds)
        {
            var recommender = fit(fold);
            foreach (var target in Targets.Where(t => t.Split == fold && t.Users.Count > 0))
            {
                var lists = Evaluator.Recommend(recommender, target, _k);
                for (var u = 0; u < lists.Length; u++) perProtocol[target.Protocol].Add(RankingMetrics.ForUser(lists[u], target.Relevant[u], _k).Ndcg);
            }
        }
        var scores = perProtocol.Values.Where(v => v.Count > 0).Select(v => v.Average()).ToList();
        return scores.Count == 0 ? 0 : scores.Average();
    }

    /// <summary>Tries each setting of the method's grid; the first best wins.</summary>
    public (Settings Settings, double Score) GridSearch(RecommendationMethod method)
    {
        Settings? best = null;
        var bestScore = double.NegativeInfinity;
        foreach (var settings in method.Grid(Folds[0].Train))
        {
            var score = Objective(fold => method.Fit(fold.Train, settings));
            if (score > bestScore + 1e-12)
            {
                best = settings;
                bestScore = score;
            }
        }
        return (best ?? new Settings(), bestScore);
    }

    /// <summary>
    /// Blend weights in two stages, each on the protocol it matters for, so one setting serves both:
    /// <list type="number">
    /// <item>Discovery mix (content, co-interaction, popularity) on <c>new-items</c>, where the shopper's own items are
    /// excluded and the repeat weight has no effect: coordinate ascent from the best single component, each weight in
    /// turn taking the grid value with the best validation NDCG (ties keep the current value), a few passes.</item>
    /// <item>Repeat weight on <c>with-repeats</c>, relative to the discovery mix: from 0 (ignore "buy again") to far above
    /// it (own items first, the discovery mix fills the rest).</item>
    /// </list>
    /// When blending does not help, a single component is the answer. Candidates are gathered once; only the blend is recomputed.
    /// </summary>
    public (HybridWeights Weights, double Score) TuneHybrid(HybridMethod hybrid)
    {
        // Candidates with raw component scores, per protocol, pooled over the folds.
        var pools = Protocol.All.ToDictionary(p => p, _ => (Candidates: new List<RankingCandidate<int>[]>(), Relevant: new List<HashSet<int>>()));
        foreach (var fold in Folds)
        {
            var recommender = hybrid.FitComponents(fold.Train, new HybridWeights());
            foreach (var t in Targets.Where(t => t.Split == fold))
            {
                var candidates = new RankingCandidate<int>[t.Users.Count][];
                Parallel.For(0, t.Users.Count, u =>
                {
                    var user = t.Users[u];
                    candidates[u] = recommender.Candidates(user, t.Protocol.ExcludeTrainingItems ? fold.Train.UserItems[user] : []);
                });
                pools[t.Protocol].Candidates.AddRange(candidates);
                pools[t.Protocol].Relevant.AddRange(t.Relevant);
            }
        }

        double Score(Protocol protocol, HybridWeights weights)
        {
            var pool = pools[protocol];
            if (pool.Candidates.Count == 0) return 0;
            var lists = new int[pool.Candidates.Count][];
            Parallel.For(0, lists.Length, u => lists[u] = [.. HybridRanker.Rank(pool.Candidates[u], weights, _k).Select(r => r.Item)]);
            return RankingMetrics.Aggregate(lists, pool.Relevant, _k, _catalogSize, 0).Ndcg;
        }

        // Stage 1: the discovery mix on new-items.
        RankingComponent[] discovery = [RankingComponent.Content, RankingComponent.CoInteraction, RankingComponent.Popularity];
        var zero = new HybridWeights { Content = 0, CoInteraction = 0, RepeatPurchase = 0, Popularity = 0 };
        var best = discovery
            .Select(c => (Weights: With(zero, c, 1), Score: Score(Protocol.NewItems, With(zero, c, 1))))
            .Aggregate((a, b) => b.Score > a.Score + 1e-9 ? b : a);
        _progress($"  new-items, best single component: {Describe(best.Weights)} ndcg={best.Score:0.0000}");
        for (var pass = 0; pass < 3; pass++)
        {
            var improved = false;
            foreach (var component in discovery)
            {
                foreach (var value in WeightGrid)
                {
                    var trial = With(best.Weights, component, value);
                    if (trial.Content + trial.CoInteraction + trial.Popularity == 0) continue;
                    var score = Score(Protocol.NewItems, trial);
                    if (score > best.Score + 1e-9)
                    {
                        best = (trial, score);
                        improved = true;
                    }
                }
            }
            _progress($"  new-items, pass {pass + 1}: {Describe(best.Weights)} ndcg={best.Score:0.0000}");
            if (!improved) break;
        }
        var newItemsScore = best.Score;

        // Stage 2: how strongly "buy again" counts against the discovery mix, on with-repeats. Validation sets of real logs
        // are small (tens to hundreds of shoppers), so a lower repeat weight must beat "own items first" by more than its
        // paired standard error to be chosen: the shopper's own history is the safer bet in retail.
        var mix = best.Weights.Content + best.Weights.CoInteraction + best.Weights.Popularity;
        var curve = RepeatRatios
            .Select(ratio => With(best.Weights, RankingComponent.RepeatPurchase, Math.Round(ratio * mix, 4)))
            .Select(w => (Weights: w, PerUser: PerUser(Protocol.WithRepeats, w)))
            .ToList();
        var top = curve.MaxBy(c => c.PerUser.Average());
        var repeat = curve.Last(c => PairedWithinOneStandardError(c.PerUser, top.PerUser));
        _progress($"  with-repeats by repeat weight: {string.Join(", ", curve.Select(c => $"{c.Weights.RepeatPurchase:0.###}:{c.PerUser.Average():0.0000}"))}");
        _progress($"  with-repeats: {Describe(repeat.Weights)} ndcg={repeat.PerUser.Average():0.0000}");
        return (repeat.Weights, (newItemsScore + repeat.PerUser.Average()) / 2);

        double[] PerUser(Protocol protocol, HybridWeights weights)
        {
            var pool = pools[protocol];
            var ndcg = new double[pool.Candidates.Count];
            Parallel.For(0, ndcg.Length, u =>
                ndcg[u] = RankingMetrics.ForUser([.. HybridRanker.Rank(pool.Candidates[u], weights, _k).Select(r => r.Item)], pool.Relevant[u], _k).Ndcg);
            return ndcg.Length == 0 ? [0] : ndcg;
        }
    }

    /// <summary>Whether <paramref name="candidate"/> is worse than <paramref name="best"/> by less than one standard error of the per-user difference.</summary>
    public static bool PairedWithinOneStandardError(double[] candidate, double[] best)
    {
        var diff = candidate.Zip(best, (c, b) => c - b).ToArray();
        var mean = diff.Average();
        if (diff.Length < 2) return mean >= 0;
        var variance = diff.Sum(d => (d - mean) * (d - mean)) / (diff.Length - 1);
        return mean >= -Math.Sqrt(variance / diff.Length);

    }

    /// <summary>Repeat weight as a multiple of the discovery weights' sum: 0 ignores own items, 100 puts them all first.</summary>
    private static readonly double[] RepeatRatios = [0, 0.1, 0.2, 0.35, 0.5, 0.7, 1, 1.4, 2, 3, 5, 10, 30, 100];

    private static string Describe(HybridWeights w) => HybridMethod.ToSettings(w).ToString();

    private static HybridWeights With(HybridWeights w, RankingComponent component, double value) => new()
    {
        Content = component == RankingComponent.Content ? value : w.Content,
        CoInteraction = component == RankingComponent.CoInteraction ? value : w.CoInteraction,
        RepeatPurchase = component == RankingComponent.RepeatPurchase ? value : w.RepeatPurchase,
        Popularity = component == RankingComponent.Popularity ? value : w.Popularity,
        CandidatesPerComponent = w.CandidatesPerComponent,
    };
}
