using EcomGo.ChatAgent.Data;
using EcomGo.ServiceDefaults.Data;

namespace EcomGo.ChatAgent.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<ChatDbContext>(ChatDbContext.Schema);
        builder.AddRedisEventBus();

        // Tool calling (chat), conversation summaries (fast) and semantic product search (embedding).
        builder.AddOllamaChatClient("chat");
        builder.AddOllamaChatClient("fast", asDefault: false);
        builder.AddOllamaEmbeddingGenerator("embedding");
    }
}
