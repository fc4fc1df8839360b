using EcomGo.ChatAgent.Apis;
using EcomGo.ChatAgent.Data;
using EcomGo.ChatAgent.Services;
using EcomGo.ChatAgent.Workers;
using EcomGo.ServiceDefaults.Data;
using EcomGo.ServiceDefaults.Messaging;
using EcomGo.ServiceDefaults.Security;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;

namespace EcomGo.ChatAgent.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddServiceDatabase<ChatDbContext>(ChatDbContext.Schema);
        builder.AddRedisEventBus();

        builder.AddChatAgentCore();
        services.AddScoped<ConversationStore>();
        services.AddScoped<ConversationHistory>();
        builder.AddChatRateLimiting();
        services.AddProblemDetails();

        // Ended conversations are announced (conversation-summarised.v1) through the shared transactional outbox.
        builder.AddTransactionalOutbox<ChatDbContext>(ChatTelemetry.Name);
        services.AddHostedService<ConversationEndWorker>();
    }

    /// <summary>What a turn needs without storage: models, tools, limits, telemetry (the evaluation command uses only this).</summary>
    public static void AddChatAgentCore(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        // Tool calling (chat), conversation summaries (fast) and semantic product search (embedding).
        // Without an Ollama endpoint no IChatClient is registered and the assistant answers in its no-LLM mode.
        builder.AddOllamaChatClient("chat");
        builder.AddOllamaChatClient("fast", asDefault: false);
        builder.AddOllamaEmbeddingGenerator("embedding");

        services.Configure<ChatAgentOptions>(builder.Configuration.GetSection(ChatAgentOptions.SectionName));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ChatAgentOptions>>().Value);
        services.AddSingleton(TimeProvider.System);
        services.AddMemoryCache();
        services.AddSingleton<ChatTelemetry>();
        services.AddSingleton<ManufacturerDirectory>();
        services.AddSingleton<Tokenizer>(_ => TiktokenTokenizer.CreateForEncoding("cl100k_base"));
        services.AddSingleton<ChatTurnService>();
        AddToolClients(builder);
    }

    /// <summary>The shop's read APIs the tools call: short timeouts, a tool error is better than a stalled answer.</summary>
    private static void AddToolClients(IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpClient<StorefrontCatalogClient>(StorefrontCatalogClient.HttpClientName, (sp, http) =>
            {
                var options = sp.GetRequiredService<IOptions<ChatAgentOptions>>().Value;
                http.BaseAddress = options.StorefrontBaseAddress;
                http.Timeout = options.ToolTimeout;
            })
            .AddServiceAuthentication();
        builder.Services.AddHttpClient<ReviewAnalyzerOpinionClient>(ReviewAnalyzerOpinionClient.HttpClientName, (sp, http) =>
            {
                var options = sp.GetRequiredService<IOptions<ChatAgentOptions>>().Value;
                http.BaseAddress = options.ReviewAnalyzerBaseAddress;
                http.Timeout = options.ToolTimeout;
            })
            .AddServiceAuthentication(); // the ReviewAnalyzer's API is service-only
        builder.Services.AddHttpClient<RecommenderClient>(RecommenderClient.HttpClientName, (sp, http) =>
            {
                var options = sp.GetRequiredService<IOptions<ChatAgentOptions>>().Value;
                http.BaseAddress = options.RecommenderBaseAddress;
                http.Timeout = options.ToolTimeout;
            })
            .AddServiceAuthentication(); // service-only, and a personal list needs the shopper header
    }
}
