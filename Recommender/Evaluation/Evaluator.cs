using System.Diagnostics;
using EcomGo.Recommender.Evaluation.Methods;

namespace EcomGo.Recommender.Evaluation;

/// <summary>Runs a fitted method over the users of a target, in parallel, and scores its lists.</summary>
public static class Evaluator
{
    public static MethodResult Evaluate(IRecommender recommender, EvaluationTarget target, int k, int catalogSize, double fitSeconds = 0)
    {
        var watch = Stopwatch.StartNew();
        var lists = Recommend(recommender, target, k);
        return RankingMetrics.Aggregate(lists, target.Relevant, k, catalogSize, fitSeconds + watch.Elapsed.TotalSeconds);
    }

    public static int[][] Recommend(IRecommender recommender, EvaluationTarget target, int k)
    {
        var lists = new int[target.Users.Count][];
        var train = target.Split.Train;
        Parallel.For(0, target.Users.Count, u =>
        {
            var user = target.Users[u];
            lists[u] = recommender.Recommend(user, k, target.Protocol.ExcludeTrainingItems ? train.UserItems[user] : []);
        });
        return lists;
    }
}
