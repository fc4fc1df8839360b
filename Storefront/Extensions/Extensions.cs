using EcomGo.ServiceDefaults.Data;
using EcomGo.Storefront.Data;
using Microsoft.EntityFrameworkCore;

namespace EcomGo.Storefront.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // Own schema in the shared 'shopdb', with its own migrations history table.
        builder.AddNpgsqlDbContext<StorefrontDbContext>("shopdb", configureDbContextOptions: options =>
            options.UseNpgsql(npgsql => npgsql.MigrationsHistoryTable("__EFMigrationsHistory", StorefrontDbContext.Schema)));
        builder.Services.AddMigration<StorefrontDbContext>();

        builder.AddRedisClient("cache");
    }
}
