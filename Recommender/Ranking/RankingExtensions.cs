namespace EcomGo.Recommender.Ranking;

public static class RankingExtensions
{
    /// <summary>Registers <see cref="HybridRanker"/> with <see cref="HybridWeights"/> bound from <c>Recommender:Hybrid</c>.</summary>
    public static IHostApplicationBuilder AddHybridRanking(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<HybridWeights>().BindConfiguration(HybridWeights.SectionName);
        builder.Services.AddSingleton<HybridRanker>();
        return builder;
    }
}
