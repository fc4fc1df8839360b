using EcomGo.ReviewAnalyzer.Data;
using EcomGo.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;

namespace EcomGo.ReviewAnalyzer.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // Own schema in the shared 'shopdb', with its own migrations history table.
        builder.AddNpgsqlDbContext<ReviewsDbContext>("shopdb", configureDbContextOptions: options =>
            options.UseNpgsql(npgsql =>
            {
                npgsql.MigrationsHistoryTable("__EFMigrationsHistory", ReviewsDbContext.Schema);
            }));
        builder.Services.AddMigration<ReviewsDbContext>();

        builder.AddRedisClient("cache");

        builder.AddOllamaChatClient("fast");
    }
}
