using EcomGo.Recommender.Evaluation.Methods;
using EcomGo.Recommender.Ranking;

namespace EcomGo.Recommender.Evaluation;

/// <summary>
/// Chooses hyperparameters on the validation split (the cut-off rule applied inside the training part), so the
/// test part is never seen. The objective is NDCG@k averaged over both protocols, so one setting serves both.
/// </summary>
public sealed class Tuner
{
    /// <summary>Tuning uses at most this many validation users per protocol (a fixed spread-out sample).</summary>
    public const int MaxUsers = 2000;

    private static readonly double[] WeightGrid = [0, 0.03, 0.1, 0.2, 0.35, 0.5, 0.7, 1, 1.4, 2, 3, 5, 10];

    private readonly int _k;
    private readonly int _catalogSize;
    private readonly Action<string> _progress;

    public Tuner(TemporalSplit validation, int k, int catalogSize, Action<string> progress)
    {
        Validation = validation;
        _k = k;
        _catalogSize = catalogSize;
        _progress = progress;
        Targets = [.. Protocol.All.Select(p => p.Target(validation, MaxUsers))];
    }

    public TemporalSplit Validation { get; }

    public IReadOnlyList<EvaluationTarget> Targets { get; }

    /// <summary>Mean NDCG@k over the protocols that have validation users.</summary>
    public double Objective(IRecommender recommender)
    {
        var scores = Targets.Where(t => t.Users.Count > 0)
            .Select(t => Evaluator.Evaluate(recommender, t, _k, _catalogSize).Ndcg).ToList();
        return scores.Count == 0 ? 0 : scores.Average();
    }

    /// <summary>Tries each setting of the method's grid; the first best wins.</summary>
    public (Settings Settings, double Score) GridSearch(RecommendationMethod method)
    {
        Settings? best = null;
        var bestScore = double.NegativeInfinity;
        foreach (var settings in method.Grid(Validation.Train))
        {
            var score = Objective(method.Fit(Validation.Train, settings));
            if (score > bestScore + 1e-12)
            {
                best = settings;
                bestScore = score;
            }
        }
        return (best ?? new Settings(), bestScore);
    }

    /// <summary>
    /// Blend weights by coordinate ascent from the best single component: each weight in turn takes the grid value that
    /// maximises validation NDCG (ties keep the current value), for a few passes. When no blend beats the best single
    /// component, that component alone is the answer. Candidates are gathered once; only the blend is recomputed.
    /// </summary>
    public (HybridWeights Weights, double Score) TuneHybrid(HybridMethod hybrid)
    {
        var recommender = hybrid.FitComponents(Validation.Train, new HybridWeights());
        var pools = Targets.Where(t => t.Users.Count > 0).Select(t =>
        {
            var candidates = new RankingCandidate<int>[t.Users.Count][];
            Parallel.For(0, t.Users.Count, u =>
            {
                var user = t.Users[u];
                candidates[u] = recommender.Candidates(user, t.Protocol.ExcludeTrainingItems ? Validation.Train.UserItems[user] : []);
            });
            return (Target: t, Candidates: candidates);
        }).ToList();

        double Score(HybridWeights weights)
        {
            if (pools.Count == 0) return 0;
            return pools.Average(pool =>
            {
                var lists = new int[pool.Candidates.Length][];
                Parallel.For(0, lists.Length, u => lists[u] = [.. HybridRanker.Rank(pool.Candidates[u], weights, _k).Select(r => r.Item)]);
                return RankingMetrics.Aggregate(lists, pool.Target.Relevant, _k, _catalogSize, 0).Ndcg;
            });
        }

        var components = Enum.GetValues<RankingComponent>();
        HybridWeights OnlyOne(RankingComponent c) => With(new HybridWeights { Content = 0, CoInteraction = 0, RepeatPurchase = 0, Popularity = 0 }, c, 1);

        var best = components.Select(c => (Weights: OnlyOne(c), Score: Score(OnlyOne(c)))).OrderByDescending(x => x.Score).First();
        _progress($"  best single component: {Describe(best.Weights)} ndcg={best.Score:0.0000}");
        for (var pass = 0; pass < 3; pass++)
        {
            var improved = false;
            foreach (var component in components)
            {
                foreach (var value in WeightGrid)
                {
                    var trial = With(best.Weights, component, value);
                    if (trial.Content + trial.CoInteraction + trial.RepeatPurchase + trial.Popularity == 0) continue;
                    var score = Score(trial);
                    if (score > best.Score + 1e-9)
                    {
                        best = (trial, score);
                        improved = true;
                    }
                }
            }
            _progress($"  pass {pass + 1}: {Describe(best.Weights)} ndcg={best.Score:0.0000}");
            if (!improved) break;
        }
        return best;
    }

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
