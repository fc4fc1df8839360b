using System.Globalization;

namespace EcomGo.Recommender.Evaluation;

/// <summary>Command-line options of <c>evaluate</c>.</summary>
public sealed record EvaluationOptions
{
    public const string Usage = """
        usage: dotnet run --project Recommender -- evaluate --items items.csv --interactions interactions.csv
                 [--cutoff 2011-11-01] [--k 10] [--report report.json] [--embeddings local|ollama|none]
                 [--ollama-endpoint http://localhost:11434] [--ollama-model all-minilm] [--methods a,b,...]
          items.csv:        item_id,title,description[,category][,brand]   (RFC 4180, header row)
          interactions.csv: user_id,item_id,timestamp[,event][,rating]
          --cutoff          train < cutoff <= test (default: the time leaving the last 15% of interactions for test)
          --embeddings      local = in-process all-MiniLM-L6-v2 (default); ollama = the same model served by Ollama;
                            none = skip the content method (and the hybrid's content signal)
          --methods         subset of: popularity,recent-popularity,item-knn,user-knn,ease,content,repeat-purchase,hybrid
        """;

    public required string ItemsPath { get; init; }
    public required string InteractionsPath { get; init; }
    public DateTimeOffset? Cutoff { get; init; }
    public int K { get; init; } = 10;
    public string? ReportPath { get; init; }
    public string Embeddings { get; init; } = "local";
    public Uri OllamaEndpoint { get; init; } = new("http://localhost:11434");
    public string OllamaModel { get; init; } = "all-minilm";
    public IReadOnlyList<string>? Methods { get; init; }

    /// <summary>Parses the arguments after <c>evaluate</c>; throws <see cref="ArgumentException"/> with a readable message.</summary>
    public static EvaluationOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Unexpected argument '{name}'.");
            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"{name} needs a value.");
            values[name[2..]] = args[++i];
        }

        string Required(string name) => values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required.");
        var known = new[] { "items", "interactions", "cutoff", "k", "report", "embeddings", "ollama-endpoint", "ollama-model", "methods" };
        var unknown = values.Keys.FirstOrDefault(k => !known.Contains(k, StringComparer.OrdinalIgnoreCase));
        if (unknown is not null) throw new ArgumentException($"Unknown option --{unknown}.");

        DateTimeOffset? cutoff = null;
        if (values.TryGetValue("cutoff", out var c))
        {
            cutoff = CsvLogReader.TryParseTime(c, out var ticks)
                ? new DateTimeOffset(ticks, TimeSpan.Zero)
                : throw new ArgumentException($"--cutoff '{c}' is not a date/time (e.g. 2011-11-01 or 2011-11-01T12:00:00Z).");
        }
        var k = 10;
        if (values.TryGetValue("k", out var kText) && (!int.TryParse(kText, NumberStyles.Integer, CultureInfo.InvariantCulture, out k) || k < 1 || k > 1000))
        {
            throw new ArgumentException($"--k '{kText}' must be a whole number from 1 to 1000.");
        }
        var embeddings = values.GetValueOrDefault("embeddings", "local").ToLowerInvariant();
        if (embeddings is not ("local" or "ollama" or "none")) throw new ArgumentException($"--embeddings '{embeddings}' must be local, ollama or none.");
        var endpoint = values.GetValueOrDefault("ollama-endpoint", Environment.GetEnvironmentVariable("OLLAMA_HOST") is { Length: > 0 } host ? host : "http://localhost:11434");
        if (!endpoint.Contains("://", StringComparison.Ordinal)) endpoint = "http://" + endpoint;
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var endpointUri)) throw new ArgumentException($"--ollama-endpoint '{endpoint}' is not a URL.");

        return new EvaluationOptions
        {
            ItemsPath = Required("items"),
            InteractionsPath = Required("interactions"),
            Cutoff = cutoff,
            K = k,
            ReportPath = values.GetValueOrDefault("report"),
            Embeddings = embeddings,
            OllamaEndpoint = endpointUri,
            OllamaModel = values.GetValueOrDefault("ollama-model", "all-minilm"),
            Methods = values.TryGetValue("methods", out var m) ? m.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null,
        };
    }
}
