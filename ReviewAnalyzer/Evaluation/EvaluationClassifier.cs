using EcomGo.ReviewAnalyzer.Services;
using EcomGo.ServiceDefaults.Ai;

namespace EcomGo.ReviewAnalyzer.Evaluation;

/// <summary>
/// The classifier under evaluation, built as the service builds it but without the AppHost, database or Redis:
/// <c>local</c> is the in-process classifier; <c>llm</c> is the service's <see cref="LlmSentimentClassifier"/> over the
/// 'fast' Ollama model from <c>--ollama</c>/<c>--model</c> or the <c>ConnectionStrings:fast</c> configuration.
/// </summary>
public sealed class EvaluationClassifier : IAsyncDisposable
{
    private readonly IHost? _host;
    private readonly MiniLmEmbeddingGenerator? _embeddings;

    private EvaluationClassifier(ISentimentClassifier? classifier, string? problem, IHost? host, MiniLmEmbeddingGenerator? embeddings)
    {
        Classifier = classifier;
        Problem = problem;
        _host = host;
        _embeddings = embeddings;
    }

    public ISentimentClassifier? Classifier { get; }

    /// <summary>Why the classifier could not be built (e.g. no Ollama endpoint for 'llm').</summary>
    public string? Problem { get; }

    public static async Task<EvaluationClassifier> CreateAsync(string name, IReadOnlyDictionary<string, string> options, CancellationToken cancellationToken)
    {
        if (name == "local")
        {
            var embeddings = new MiniLmEmbeddingGenerator();
            return new EvaluationClassifier(new LocalSentimentClassifier(embeddings), null, null, embeddings);
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = false, Args = [] });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (options.TryGetValue("ollama", out var endpoint) || options.ContainsKey("model"))
        {
            var model = options.GetValueOrDefault("model", "llama3.2:1b");
            builder.Configuration["ConnectionStrings:fast"] = $"Endpoint={endpoint ?? "http://localhost:11434"};Model={model}";
        }

        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("fast")))
        {
            return new EvaluationClassifier(null, "--classifier llm needs --ollama http://host:11434 and --model NAME (or ConnectionStrings__fast=\"Endpoint=...;Model=...\").", null, null);
        }

        OllamaConnection connection;
        try
        {
            connection = builder.AddOllamaChatClient("fast", asDefault: false);
        }
        catch (InvalidOperationException ex)
        {
            return new EvaluationClassifier(null, ex.Message, null, null);
        }

        if (!connection.IsAvailable)
        {
            return new EvaluationClassifier(null, "The 'fast' connection string has no Endpoint: there is no Ollama to evaluate.", null, null);
        }

        builder.Services.AddSingleton<MiniLmEmbeddingGenerator>();
        builder.Services.AddSingleton<LocalSentimentClassifier>();
        builder.Services.AddSingleton<ReviewAnalyzerTelemetry>();
        builder.Services.AddSingleton<LlmSentimentClassifier>();
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new EvaluationClassifier(host.Services.GetRequiredService<LlmSentimentClassifier>(), null, host, null);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }

        _embeddings?.Dispose();
    }
}
