using EcomGo.ServiceDefaults.Security;
using EcomGo.ReviewAnalyzer.Data;
using EcomGo.ReviewAnalyzer.Services;
using EcomGo.ReviewAnalyzer.Workers;
using EcomGo.ServiceDefaults.Ai;
using EcomGo.ServiceDefaults.Data;
using EcomGo.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace EcomGo.ReviewAnalyzer.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReviewAnalyzerOptions>().BindConfiguration(ReviewAnalyzerOptions.SectionName);
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(TimeProvider.System);

        builder.AddServiceDatabase<ReviewsDbContext>(ReviewsDbContext.Schema);
        builder.AddRedisEventBus();

        builder.AddClassifiers();

        // Sentiments: one path (ReviewAnalysisService) fed by events and by the sweep of the Storefront's feed; results and
        // their events (review-analyzed, product-opinion-updated) commit together and leave through the outbox.
        builder.Services.AddSingleton<ReviewAnalyzerTelemetry>();
        builder.Services.AddSingleton<AnalysisBacklog>();
        builder.Services.AddScoped<SentimentStore>();
        builder.Services.AddSingleton<ReviewAnalysisService>();
        builder.Services.AddScoped<OpinionService>();
        builder.Services.AddSingleton<SweepTrigger>();
        builder.Services.AddSingleton<ReanalysisService>();
        builder.Services.AddHttpClient<StorefrontReviewFeed>((sp, http) =>
            http.BaseAddress = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ReviewAnalyzerOptions>>().Value.StorefrontUrl)
            .AddServiceAuthentication();

        builder.AddTransactionalOutbox<ReviewsDbContext>(ReviewAnalyzerTelemetry.Name);
        builder.Services.AddHostedService<ReviewCreatedConsumer>();
        builder.Services.AddHostedService<ReviewDeletedConsumer>();
        builder.Services.AddHostedService<ReviewSweepWorker>();
        builder.Services.AddHostedService<OpinionWorker>();
    }

    /// <summary>
    /// The LLM classifier and summariser when the 'fast' model has an endpoint, else the local ones. The local
    /// classifier is always registered: the LLM path falls back to it per review.
    /// </summary>
    private static void AddClassifiers(this IHostApplicationBuilder builder)
    {
        var fast = builder.AddOllamaChatClient("fast", asDefault: false);

        builder.Services.AddSingleton<MiniLmEmbeddingGenerator>();
        builder.Services.AddSingleton<LocalSentimentClassifier>();
        if (fast.IsAvailable)
        {
            builder.Services.AddOllamaModelDigests(fast.Endpoint);
            builder.Services.AddSingleton<ISentimentClassifier, LlmSentimentClassifier>();
            builder.Services.AddSingleton<IOpinionSummarizer, LlmOpinionSummarizer>();
        }
        else
        {
            builder.Services.AddSingleton<ISentimentClassifier>(sp => sp.GetRequiredService<LocalSentimentClassifier>());
            builder.Services.AddSingleton<IOpinionSummarizer, TemplateOpinionSummarizer>();
        }
    }
}
