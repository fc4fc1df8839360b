using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using EcomGo.AppHost.Commands;
using EcomGo.AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);
using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true));
var logger = loggerFactory.CreateLogger("EcomGo.AppHost");

// PostgreSQL+pgvector, Redis and Ollama: containers or local processes, per Infrastructure:Mode.
var infrastructure = builder.AddShopInfrastructure(logger);

// Service-only APIs (feeds, the AI services) require this per-run secret; every service gets it.
var serviceKey = builder.AddServiceKey();

// The shop: catalog, accounts, cart, orders, reviews; owns the outbox that feeds the AI services.
var storefront = builder.AddProject<Projects.Storefront>("storefront")
    .WithShopData(infrastructure)
    .WithServiceKey(serviceKey)
    .WithDeadLetterReplay(serviceKey)
    .WithSettingsFrom(builder.Configuration, "Storefront") // e.g. --Storefront:AbuseLimits:Review:PerShopper=3
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

// Sentiment, aspects per review and opinion summaries per product (fast model); publishes them as events the Storefront
// keeps. Dashboard commands re-analyse outdated or all reviews.
var reviewAnalyzer = builder.AddProject<Projects.ReviewAnalyzer>("review-analyzer")
    .WithShopData(infrastructure)
    .WithServiceKey(serviceKey)
    .WithDeadLetterReplay(serviceKey)
    .WithModel(infrastructure.FastModel)
    .WithReference(storefront)
    .WithHttpHealthCheck("/health")
    .WithReanalysisCommands(serviceKey);
// Competing consumers: `--ReviewAnalyzer:Replicas=2` runs two instances that share the review events (each event is
// analysed once; a killed instance's in-flight events go back to the queue).
if (builder.Configuration.GetValue("ReviewAnalyzer:Replicas", 1) is > 1 and var replicas)
{
    reviewAnalyzer.WithReplicas(replicas);
}

// Embedding-similarity recommendations from shoppers' interactions (embedding model).
var recommender = builder.AddProject<Projects.Recommender>("recommender")
    .WithShopData(infrastructure)
    .WithServiceKey(serviceKey)
    .WithDeadLetterReplay(serviceKey)
    .WithModel(infrastructure.EmbeddingModel)
    .WithReference(storefront)
    .WithHttpHealthCheck("/health");

// The shopping assistant: tool calling over the catalog API (chat model), history summaries (fast model).
var chatAgent = builder.AddProject<Projects.ChatAgent>("chat-agent")
    .WithShopData(infrastructure)
    .WithServiceKey(serviceKey)
    .WithDeadLetterReplay(serviceKey)
    .WithModel(infrastructure.ChatModel)
    .WithModel(infrastructure.FastModel)
    .WithModel(infrastructure.EmbeddingModel)
    .WithReference(storefront)
    .WithReference(reviewAnalyzer) // review opinion summaries for the reviews tool
    .WithReference(recommender) // semantic product search and "recommended for me"
    .WithHttpHealthCheck("/health");

// The Storefront calls the AI services but does not wait for them: it falls back when they are down. It never calls the
// ReviewAnalyzer: review labels and opinions reach it as events.
storefront
    .WithReference(recommender)
    .WithReference(chatAgent);

// Say where to go once the shop is up (the dashboard URL is printed by Aspire itself).
builder.Eventing.Subscribe<ResourceReadyEvent>(storefront.Resource, (_, _) =>
{
    logger.LogInformation("EcomGo is ready: open the shop at {ShopUrl}", storefront.GetEndpoint("http").Url);
    return Task.CompletedTask;
});

builder.Build().Run();
