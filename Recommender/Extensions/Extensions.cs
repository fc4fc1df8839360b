using EcomGo.Recommender.Data;
using EcomGo.Recommender.Ranking;
using EcomGo.Recommender.Services;
using EcomGo.Recommender.Workers;
using EcomGo.ServiceDefaults.Data;
using EcomGo.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EcomGo.Recommender.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RecommenderOptions>().BindConfiguration(RecommenderOptions.SectionName);
        services.AddProblemDetails();
        services.AddOpenApi();
        services.AddSingleton(TimeProvider.System);
        services.AddMemoryCache(); // shared, slowly changing scores (recent popularity)

        builder.AddServiceDatabase<RecommenderDbContext>(RecommenderDbContext.Schema, npgsql => npgsql.UseVector());
        builder.AddRedisEventBus();
        builder.AddOllamaEmbeddingGenerator("embedding");
        services.AddSingleton(EmbeddingModel.Create);

        // The production blend (weights tuned by the offline evaluation, bound from Recommender:Hybrid).
        builder.AddHybridRanking();

        services.AddSingleton<ProductIndexProgress>();
        services.AddSingleton<RecommenderTelemetry>();
        services.AddSingleton<RecommendationCache>();
        services.AddScoped<ProductIndexer>();
        services.AddScoped<InteractionStore>();
        services.AddScoped<ShopperProfileBuilder>();
        services.AddScoped<RecommendationEngine>();
        services.AddHealthChecks().AddCheck<ProductIndexProgress>("product-index");

        // The Storefront's catalog and interaction feeds (service discovery resolves http://storefront).
        services.AddHttpClient<StorefrontCatalogFeed>((sp, http) => http.BaseAddress = sp.GetRequiredService<IOptions<RecommenderOptions>>().Value.StorefrontUrl)
            .AddServiceAuthentication();
        services.AddHttpClient<StorefrontInteractionFeed>((sp, http) => http.BaseAddress = sp.GetRequiredService<IOptions<RecommenderOptions>>().Value.StorefrontUrl)
            .AddServiceAuthentication();

        // Catalog index (start-up and periodic), interaction events, and the feed sweep that backs them up.
        services.AddHostedService<ProductIndexWorker>();
        services.AddHostedService<InteractionRecordedConsumer>();
        services.AddHostedService<ShopperSignedInConsumer>();
        services.AddHostedService<ConversationSummarisedConsumer>(); // chats fold into the profile
        services.AddHostedService<InteractionSweepWorker>();
    }
}
