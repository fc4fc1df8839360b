using EcomGo.Recommender.Ranking;

namespace EcomGo.IntegrationTests.Recommender.Evaluation;

public sealed class HybridRankerTests
{
    /// <remarks>
    /// Maxima over the candidates: content 0.8, co-interaction 4, repeat 2, popularity 100.
    /// Weights content 1, co 2, repeat 0.5, popularity 0.1, so each raw score is scaled by weight / max:
    ///   x: 0.8/0.8*1 + 0 + 0 + 50/100*0.1       = 1 + 0.05         = 1.05  (content dominates)
    ///   y: 0.4/0.8*1 + 4/4*2 + 0 + 100/100*0.1  = 0.5 + 2 + 0.1    = 2.6   (co-interaction dominates)
    ///   z: 0 + 1/4*2 + 2/2*0.5 + 10/100*0.1     = 0.5 + 0.5 + 0.01 = 1.01  (co 0.5 and repeat 0.5 tie: the first in enum order wins)
    ///   w: all zero                                                = 0     (no signal: the reason falls back to popularity)
    /// </remarks>
    [Fact]
    public void Rank_BlendsNormalisedScoresAndNamesTheDominantComponent()
    {
        var weights = new HybridWeights { Content = 1, CoInteraction = 2, RepeatPurchase = 0.5, Popularity = 0.1 };
        RankingCandidate<string>[] candidates =
        [
            new("w", new ComponentScores(0, 0, 0, 0)),
            new("x", new ComponentScores(0.8, 0, 0, 50)),
            new("z", new ComponentScores(-0.3, 1, 2, 10)),
            new("y", new ComponentScores(0.4, 4, 0, 100)),
        ];

        var ranked = HybridRanker.Rank(candidates, weights, count: 3);

        Assert.Equal(["y", "x", "z"], ranked.Select(r => r.Item));
        Assert.Equal([2.6, 1.05, 1.01], ranked.Select(r => Math.Round(r.Score, 6)));
        Assert.Equal([RankingComponent.CoInteraction, RankingComponent.Content, RankingComponent.CoInteraction], ranked.Select(r => r.Reason));
        Assert.Equal(RankingComponent.Popularity, HybridRanker.Rank(candidates, weights, 4)[3].Reason);
    }

    [Fact]
    public void Rank_SingleComponentWeights_RankByThatComponentAlone_TiesKeepInputOrder()
    {
        var repeatOnly = new HybridWeights { Content = 0, CoInteraction = 0, RepeatPurchase = 1, Popularity = 0 };
        RankingCandidate<int>[] candidates =
        [
            new(1, new ComponentScores(0.9, 9, 1, 90)),
            new(2, new ComponentScores(0.1, 1, 3, 10)),
            new(3, new ComponentScores(0.5, 5, 1, 50)),
        ];

        var ranked = HybridRanker.Rank(candidates, repeatOnly, 3);

        Assert.Equal([2, 1, 3], ranked.Select(r => r.Item));
        Assert.All(ranked, r => Assert.Equal(RankingComponent.RepeatPurchase, r.Reason));
    }
}
