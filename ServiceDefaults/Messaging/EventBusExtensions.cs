using EcomGo.ServiceDefaults.Messaging;
using EcomGo.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class EventBusExtensions
{
    public const string ReplayDeadLettersPath = "/api/events/dead-letters/replay";

    /// <summary>Connects to the <c>cache</c> Redis (health check and tracing included) and registers the event bus on it.</summary>
    public static IHostApplicationBuilder AddRedisEventBus(this IHostApplicationBuilder builder, string connectionName = "cache")
    {
        builder.AddRedisClient(connectionName);
        builder.Services.AddSingleton<RedisEventBus>();
        return builder;
    }

    /// <summary>
    /// Service-only: moves the parked events of every consumer group this service runs back to their queues (the
    /// AppHost's "Replay dead letters" dashboard command calls it). Answers how many were replayed per group.
    /// </summary>
    public static IEndpointRouteBuilder MapDeadLetterReplay(this IEndpointRouteBuilder app)
    {
        app.MapPost(ReplayDeadLettersPath, async (RedisEventBus bus, IEnumerable<IHostedService> hosted) =>
            {
                var replayed = new Dictionary<string, int>();
                foreach (var consumer in hosted.OfType<IEventConsumer>().DistinctBy(c => (c.EventType, c.Group)))
                {
                    replayed[$"{consumer.EventType}/{consumer.Group}"] = await bus.ReplayDeadLettersAsync(consumer.EventType, consumer.Group);
                }

                return TypedResults.Ok(replayed);
            })
            .RequireServiceAuthorization();
        return app;
    }
}
