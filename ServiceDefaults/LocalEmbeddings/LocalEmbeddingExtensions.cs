using EcomGo.ServiceDefaults.Ai;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OllamaSharp;

namespace Microsoft.Extensions.Hosting;

/// <summary>The embedding model registration, with the in-process MiniLM fallback (only the services that embed carry it).</summary>
public static class LocalEmbeddingExtensions
{
    /// <summary>
    /// Registers an <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/> for <paramref name="connectionName"/>:
    /// Ollama when an endpoint is configured, else the in-process all-MiniLM-L6-v2 ONNX model.
    /// </summary>
    public static OllamaConnection AddOllamaEmbeddingGenerator(this IHostApplicationBuilder builder, string connectionName)
    {
        var connection = OllamaConnection.Parse(connectionName, builder.Configuration.GetConnectionString(connectionName));
        builder.Services.AddKeyedSingleton(connectionName, connection);

        Func<IServiceProvider, IEmbeddingGenerator<string, Embedding<float>>> create;
        if (connection.IsAvailable)
        {
            var httpClientName = builder.AddOllamaHttpClient(connectionName, connection);
            create = sp => new OllamaApiClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient(httpClientName), connection.Model);
        }
        else
        {
            create = _ => new MiniLmEmbeddingGenerator();
        }

        builder.Services.AddEmbeddingGenerator(create).UseOpenTelemetry().UseLogging();
        return connection;
    }
}
