using Microsoft.EntityFrameworkCore;
using EcomGo.Recommender.Data;
using EcomGo.ServiceDefaults.Data;

namespace EcomGo.Recommender.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<RecommenderDbContext>(RecommenderDbContext.Schema, npgsql => npgsql.UseVector());
        builder.AddRedisEventBus();
        builder.AddOllamaEmbeddingGenerator("embedding");
    }
}
