using EcomGo.ServiceDefaults.Ai;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using OllamaSharp;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Registers Ollama models from <c>Endpoint=...;Model=...</c> connection strings in one line each,
/// with OpenTelemetry (spans with token counts) and logging on the pipeline.
/// </summary>
public static class AiModelExtensions
{
    /// <summary>
    /// Registers an <see cref="IChatClient"/> keyed by <paramref name="connectionName"/> (and unkeyed when
    /// <paramref name="asDefault"/>). Without an Ollama endpoint nothing is registered: callers resolve the
    /// client as optional and fall back to their no-LLM behaviour.
    /// </summary>
    public static OllamaConnection AddOllamaChatClient(this IHostApplicationBuilder builder, string connectionName, bool asDefault = true)
    {
        var connection = OllamaConnection.Parse(connectionName, builder.Configuration.GetConnectionString(connectionName));
        builder.Services.AddKeyedSingleton(connectionName, connection);
        if (!connection.IsAvailable)
        {
            return connection;
        }

        var httpClientName = builder.AddOllamaHttpClient(connectionName, connection);
        IChatClient Create(IServiceProvider sp) =>
            new OllamaApiClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient(httpClientName), connection.Model);

        builder.Services.AddKeyedChatClient(connectionName, Create).UseOpenTelemetry(configure: t => t.EnableSensitiveData = false).UseLogging();
        if (asDefault)
        {
            builder.Services.AddChatClient(sp => sp.GetRequiredKeyedService<IChatClient>(connectionName));
        }

        return connection;
    }

    /// <summary>The named HttpClient for a model on an Ollama server, with timeouts a local model on CPU needs.</summary>
    public static string AddOllamaHttpClient(this IHostApplicationBuilder builder, string connectionName, OllamaConnection connection)
    {
        var name = $"ollama-{connectionName}";
        // RemoveAllResilienceHandlers is marked experimental; it is the documented way to replace the default pipeline.
#pragma warning disable EXTEXP0001
        builder.Services.AddHttpClient(name, client =>
            {
                client.BaseAddress = connection.Endpoint;
                client.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns timeouts
            })
            // A local model on CPU may need a minute before its first token: the default 10 s/30 s would cut it off.
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(options =>
            {
                options.AttemptTimeout.Timeout = TimeSpan.FromMinutes(5);
                options.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(11);
                options.CircuitBreaker.SamplingDuration = TimeSpan.FromMinutes(10);
                options.Retry.MaxRetryAttempts = 1;
            });
#pragma warning restore EXTEXP0001
        return name;
    }
}
