using EcomGo.ServiceDefaults.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class EventBusExtensions
{
    /// <summary>Connects to the <c>cache</c> Redis (health check and tracing included) and registers the event bus on it.</summary>
    public static IHostApplicationBuilder AddRedisEventBus(this IHostApplicationBuilder builder, string connectionName = "cache")
    {
        builder.AddRedisClient(connectionName);
        builder.Services.AddSingleton<RedisEventBus>();
        return builder;
    }
}
