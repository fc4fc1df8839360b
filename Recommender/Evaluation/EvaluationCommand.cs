using System.Diagnostics;
using System.Globalization;
using EcomGo.Recommender.Evaluation.Methods;
using EcomGo.Recommender.Ranking;
using EcomGo.ServiceDefaults.Ai;
using Microsoft.Extensions.AI;
using OllamaSharp;

namespace EcomGo.Recommender.Evaluation;

/// <summary>
/// <c>dotnet run --project Recommender -- evaluate ...</c>: offline evaluation of every method on any catalog and
/// interaction log, with no AppHost and no database. Exit codes: 0 done, 1 bad arguments, 2 unusable input.
/// </summary>
public static class EvaluationCommand
{
    public const string Production = "hybrid";

    public static readonly IReadOnlyList<string> AllMethods =
        ["popularity", "recent-popularity", "repeat-purchase", "item-knn", "user-knn", "ease", "content", Production];

    public static async Task<int> RunAsync(string[] args)
    {
        EvaluationOptions options;
        try
        {
            options = EvaluationOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}\n\n{EvaluationOptions.Usage}");
            return 1;
        }

        try
        {
            using var generator = CreateGenerator(options);
            var report = await RunAsync(options, generator, Console.Out, Console.Error);
            if (options.ReportPath is not null)
            {
                await File.WriteAllTextAsync(options.ReportPath, report.ToJson());
                await Console.Out.WriteLineAsync($"report written to {options.ReportPath}");
            }
            return 0;
        }
        catch (EvaluationInputException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 2;
        }
    }

    private static IEmbeddingGenerator<string, Embedding<float>>? CreateGenerator(EvaluationOptions options) => options.Embeddings switch
    {
        "none" => null,
        "ollama" => new OllamaApiClient(options.OllamaEndpoint, options.OllamaModel),
        _ => new MiniLmEmbeddingGenerator(),
    };

    /// <summary>Reads, splits, tunes on validation, fits on training, evaluates on test; writes tables to <paramref name="output"/>.</summary>
    public static async Task<EvaluationReport> RunAsync(EvaluationOptions options, IEmbeddingGenerator<string, Embedding<float>>? generator,
        TextWriter output, TextWriter progress, CancellationToken cancellationToken = default)
    {
        var total = Stopwatch.StartNew();
        void Progress(string message) => progress.WriteLine($"[{total.Elapsed:mm\\:ss}] {message}");

        var methods = options.Methods ?? AllMethods;
        var unknown = methods.Where(m => !AllMethods.Contains(m)).ToList();
        if (unknown.Count > 0) throw new EvaluationInputException($"Unknown method(s) {string.Join(", ", unknown)}; known: {string.Join(", ", AllMethods)}.");
        if (generator is null && methods.Contains("content") && options.Methods is not null)
        {
            throw new EvaluationInputException("The content method needs embeddings: use --embeddings local or ollama.");
        }
        if (generator is null) methods = [.. methods.Where(m => m != "content")];

        Progress($"reading {options.ItemsPath} and {options.InteractionsPath}");
        var (log, read) = CsvLogReader.Read(options.ItemsPath, options.InteractionsPath);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"catalog: {read.ItemRows:N0} rows, {read.MalformedItemRows:N0} malformed, {read.DuplicateItemRows:N0} duplicate ids; " +
            $"log: {read.InteractionRows:N0} rows, {read.MalformedInteractionRows:N0} malformed, {read.UnknownItemInteractions:N0} with an item not in the catalog; " +
            $"{log.UserCount:N0} users, {log.ItemCount:N0} items, {log.Interactions.Length:N0} interactions"));
        foreach (var example in read.MalformedExamples) output.WriteLine($"  skipped: {example}");

        var split = TemporalSplit.Create(log, log.Interactions, options.Cutoff?.UtcTicks);
        if (split.TrainCount == 0 || split.Test.Length == 0)
        {
            throw new EvaluationInputException($"The cut-off {split.Cutoff:u} leaves {split.TrainCount:N0} training and {split.Test.Length:N0} test interactions: both must be non-empty.");
        }
        if (split.TestItems.Count == 0)
        {
            throw new EvaluationInputException($"No user has interactions both before and after the cut-off {split.Cutoff:u}: nothing to evaluate.");
        }
        var folds = Tuner.FoldsFor(split, log);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"test split: cut-off {split.Cutoff:yyyy-MM-dd HH:mm:ss}Z, {split.TrainCount:N0} training / {split.Test.Length:N0} test interactions, {split.TestItems.Count:N0} users on both sides"));
        foreach (var fold in folds)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"tuning split (inside training only): cut-off {fold.Cutoff:yyyy-MM-dd HH:mm:ss}Z, {fold.TrainCount:N0} / {fold.Test.Length:N0} interactions, {fold.TestItems.Count:N0} users on both sides"));
        }

        ItemEmbeddings? embeddings = null;
        var embeddingSeconds = 0.0;
        if (generator is not null && (methods.Contains("content") || methods.Contains(Production)))
        {
            var metadata = generator.GetService<EmbeddingGeneratorMetadata>();
            Progress($"embedding {log.ItemTexts.Count(t => t.Length > 0):N0} item texts with {metadata?.DefaultModelId ?? options.OllamaModel}");
            var watch = Stopwatch.StartNew();
            embeddings = await ItemEmbeddings.CreateAsync(generator, log.ItemTexts, Progress, cancellationToken);
            embeddingSeconds = watch.Elapsed.TotalSeconds;
            Progress($"embedded in {embeddingSeconds:0.0}s");
        }

        var itemKnn = new ItemKnnMethod();
        var ease = new EaseMethod();
        var content = embeddings is null ? null : new ContentMethod(embeddings);
        var catalog = new Dictionary<string, RecommendationMethod>
        {
            ["popularity"] = new PopularityMethod(),
            ["recent-popularity"] = new RecentPopularityMethod(),
            ["repeat-purchase"] = new RepeatPurchaseMethod(),
            ["item-knn"] = itemKnn,
            ["user-knn"] = new UserKnnMethod(),
            ["ease"] = ease,
        };
        if (content is not null) catalog["content"] = content;

        var tuner = new Tuner(folds, options.K, log.ItemCount, Progress);
        var chosen = new Dictionary<string, Settings>();
        var validationScores = new Dictionary<string, double>();
        Settings Tune(string name)
        {
            if (chosen.TryGetValue(name, out var known)) return known;
            var watch = Stopwatch.StartNew();
            Progress($"tuning {name} on the validation split");
            var (settings, score) = tuner.GridSearch(catalog[name]);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name}: {settings} (validation NDCG@{options.K} {score:0.0000}, {watch.Elapsed.TotalSeconds:0.0}s)"));
            validationScores[name] = score;
            return chosen[name] = settings;
        }

        // Shared precomputation is charged to every method that uses it.
        var shared = Stopwatch.StartNew();
        itemKnn.NeighboursOf(split.Train);
        var neighbourSeconds = shared.Elapsed.TotalSeconds;

        var targets = Protocol.All.Select(p => p.Target(split)).ToList();
        var results = Protocol.All.ToDictionary(p => p.Name, _ => new Dictionary<string, MethodResult>());
        output.WriteLine("chosen hyperparameters:");
        foreach (var name in methods)
        {
            RecommendationMethod method;
            Settings settings;
            var extraSeconds = 0.0;
            if (name == Production)
            {
                var hybrid = new HybridMethod(itemKnn, ease, content)
                {
                    ItemKnnSettings = Tune("item-knn"),
                    // Co-interaction weights: whichever item-to-item model ranks better on validation.
                    EaseLambda = Tune("ease") is var easeSettings && validationScores["ease"] > validationScores["item-knn"] ? easeSettings[EaseMethod.Lambda] : null,
                    ContentSettings = content is null ? null : Tune("content"),
                    RepeatSettings = Tune("repeat-purchase"),
                    PopularitySettings = Tune("recent-popularity"),
                };
                Progress("tuning hybrid blend weights on the validation split");
                var (weights, score) = tuner.TuneHybrid(hybrid);
                settings = HybridMethod.ToSettings(weights);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name}: {settings} (validation NDCG@{options.K} {score:0.0000}); components: " +
                    $"co-interaction {(hybrid.EaseLambda is { } l ? $"ease lambda={l}" : $"item-knn {hybrid.ItemKnnSettings}")}; content {hybrid.ContentSettings?.ToString() ?? "off"}; repeat {hybrid.RepeatSettings}; popularity {hybrid.PopularitySettings}"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    for the service: {HybridWeights.SectionName} = {Describe(weights, hybrid)}"));
                method = hybrid;
                extraSeconds = embeddingSeconds + neighbourSeconds;
            }
            else
            {
                method = catalog[name];
                settings = Tune(name);
                extraSeconds = name switch { "content" => embeddingSeconds, "item-knn" => neighbourSeconds, _ => 0 };
            }

            Progress($"fitting {name} on the training part and ranking {targets.Sum(t => t.Users.Count):N0} test lists");
            var fit = Stopwatch.StartNew();
            var recommender = method.Fit(split.Train, settings);
            var fitSeconds = fit.Elapsed.TotalSeconds + extraSeconds;
            foreach (var target in targets)
            {
                results[target.Protocol.Name][name] = Evaluator.Evaluate(recommender, target, options.K, log.ItemCount, fitSeconds);
            }
        }

        var report = new EvaluationReport(options.K, methods.Contains(Production) ? Production : methods[0],
            results.ToDictionary(r => r.Key, r => (IReadOnlyDictionary<string, MethodResult>)r.Value));
        output.WriteLine();
        output.Write(report.ToTable());
        Progress($"done in {total.Elapsed.TotalSeconds:0.0}s");
        return report;
    }

    private static string Describe(HybridWeights w, HybridMethod hybrid) => string.Create(CultureInfo.InvariantCulture,
        $"{{ Content: {w.Content}, CoInteraction: {w.CoInteraction}, RepeatPurchase: {w.RepeatPurchase}, Popularity: {w.Popularity} }}");
}
