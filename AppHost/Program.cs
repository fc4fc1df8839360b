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

// Recommendation emails go to the mail catcher (smtp4dev; its web inbox is linked in the dashboard). The Storefront
// does not wait for it: emails are queued in its database and sent when the server answers.
// "Send digests now" queues this week's digest at once (idempotent per shopper and week, like the weekly schedule, which
// Email:AutomaticDigests=false turns off).
storefront
    .WithReference(infrastructure.Mail)
    .WithEnvironment("Email__ShopBaseUrl", storefront.GetEndpoint("http"))
    .WithEnvironment("Email__AutomaticDigests", builder.Configuration["Email:AutomaticDigests"] ?? "true")
    .WithServiceCommand(serviceKey, "/api/emails/digests/send", "Send digests now", StorefrontCommands.SendDigests,
        "Queue this week's \"picked for you\" email for every opted-in shopper who has not had it yet (never twice a week).");

// Sentiment, aspects per review and opinion summaries per product (fast model); publishes them as events the Storefront
// keeps. Dashboard commands re-analyse outdated or all reviews.
var reviewAnalyzer = builder.AddProject<Projects.ReviewAnalyzer>("review-analyzer")
    .WithShopData(infrastructure)
    .WithServiceKey(serviceKey)
    .WithDeadLetterReplay(serviceKey)
    .WithModel(infrastructure.FastModel)
    .WithReference(storefront).WaitFor(storefront)
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
    .WithReference(storefront).WaitFor(storefront)
    .WithHttpHealthCheck("/health");

// The shopping assistant: tool calling over the catalog API (chat model), history summaries (fast model).
var chatAgent = builder.AddProject<Projects.ChatAgent>("chat-agent")
    .WithShopData(infrastructure)
    .WithServiceKey(serviceKey)
    .WithDeadLetterReplay(serviceKey)
    .WithModel(infrastructure.ChatModel)
    .WithModel(infrastructure.FastModel)
    .WithModel(infrastructure.EmbeddingModel)
    .WithReference(storefront).WaitFor(storefront)
    .WithReference(reviewAnalyzer) // review opinion summaries for the reviews tool
    .WithReference(recommender) // semantic product search and "recommended for me"
    .WithHttpHealthCheck("/health");

// A conversation idle this long has ended: it is announced (conversation-summarised.v1) for the Recommender and the
// Storefront's follow-up email. Default 30 minutes (ChatAgent:ConversationIdleAfter); Chat:ConversationIdleAfter overrides.
if (builder.Configuration["Chat:ConversationIdleAfter"] is { Length: > 0 } idleAfter)
{
    chatAgent
        .WithEnvironment("ChatAgent__ConversationIdleAfter", idleAfter)
        .WithEnvironment("ChatAgent__ConversationEndCheckInterval", builder.Configuration["Chat:ConversationEndCheckInterval"] ?? "00:00:30");
}

// The Storefront calls the AI services but does not wait for them: it falls back when they are down. It never calls the
// ReviewAnalyzer: review labels and opinions reach it as events. The AI services, in turn, start once the shop answers
// (WaitFor above): on a 2-core machine five .NET processes starting together made the shop answer last.
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
