using EcomGo.ChatAgent.Data;
using EcomGo.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;

namespace EcomGo.ChatAgent.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // Own schema in the shared 'shopdb', with its own migrations history table.
        builder.AddNpgsqlDbContext<ChatDbContext>("shopdb", configureDbContextOptions: options =>
            options.UseNpgsql(npgsql =>
            {
                npgsql.MigrationsHistoryTable("__EFMigrationsHistory", ChatDbContext.Schema);
            }));
        builder.Services.AddMigration<ChatDbContext>();

        builder.AddRedisClient("cache");

        builder.AddOllamaChatClient("chat");
        builder.AddOllamaChatClient("fast", asDefault: false);
        builder.AddOllamaEmbeddingGenerator("embedding");
    }
}
