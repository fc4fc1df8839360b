using EcomGo.Recommender.Data;
using EcomGo.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;

namespace EcomGo.Recommender.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // Own schema in the shared 'shopdb', with its own migrations history table.
        builder.AddNpgsqlDbContext<RecommenderDbContext>("shopdb", configureDbContextOptions: options =>
            options.UseNpgsql(npgsql =>
            {
                npgsql.UseVector();
                npgsql.MigrationsHistoryTable("__EFMigrationsHistory", RecommenderDbContext.Schema);
            }));
        builder.Services.AddMigration<RecommenderDbContext>();

        builder.AddRedisClient("cache");

        builder.AddOllamaEmbeddingGenerator("embedding");
    }
}
