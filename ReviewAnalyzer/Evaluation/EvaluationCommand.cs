using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using EcomGo.ReviewAnalyzer.Data;
using EcomGo.ReviewAnalyzer.Services;
using EcomGo.ServiceDefaults.Ai;

namespace EcomGo.ReviewAnalyzer.Evaluation;

/// <summary>Figures of one pass over the set: agreement plus speed. <see cref="Fallbacks"/> counts reviews another model decided (LLM path only).
/// <see cref="ReviewsPerSecond"/> is null when the pass reused the previous pass's embeddings (not a throughput figure).</summary>
public sealed record EvaluationPass(SentimentMetrics Metrics, double Seconds, double? ReviewsPerSecond, int Fallbacks);

public sealed record EvaluationReport(
    string Input,
    string Classifier,
    string Model,
    int Reviews,
    int MalformedRows,
    IReadOnlyList<MalformedRow> MalformedExamples,
    EvaluationPass TextOnly,
    EvaluationPass? WithStars,
    DateTimeOffset EvaluatedAt);

/// <summary>
/// <c>evaluate --input reviews.csv [--classifier local|llm] [--report report.json] [--ollama URL] [--model NAME]</c>:
/// measures a sentiment classifier on a labelled CSV (see <see cref="LabelledReviewCsv"/>) without the AppHost or a
/// database. Text-only figures always (every review classified with rating 0, so the stars cannot help); when the
/// file has ratings, a second pass with the stars given to the classifier as it gets them in the shop.
/// Exit codes: 0 done, 1 the input cannot be evaluated, 2 bad command line.
/// </summary>
public static class EvaluationCommand
{
    public const string Name = "evaluate";

    private const int BatchSize = 32;
    private const int MaxMalformedExamples = 20;

    public static readonly JsonSerializerOptions ReportJsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public const string Usage =
        "usage: dotnet run --project ReviewAnalyzer -- evaluate --input reviews.csv [--classifier local|llm] [--report report.json]\n" +
        "                 [--ollama http://localhost:11434] [--model llama3.2:1b]\n" +
        "  The CSV has a header with 'text' and 'label' (positive|neutral|negative) and/or 'rating' (1-5), optionally 'title'.\n" +
        "  --classifier llm needs an Ollama endpoint: --ollama and --model, or ConnectionStrings__fast=\"Endpoint=...;Model=...\".";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        if (!CommandLine.TryParse(args.Skip(1), ["input", "classifier", "report", "ollama", "model"], out var options, out var problem))
        {
            await error.WriteLineAsync($"{problem}\n{Usage}");
            return 2;
        }

        if (!options.TryGetValue("input", out var input))
        {
            await error.WriteLineAsync($"--input is required.\n{Usage}");
            return 2;
        }

        var classifierName = options.GetValueOrDefault("classifier", "local");
        if (classifierName is not ("local" or "llm"))
        {
            await error.WriteLineAsync($"--classifier must be 'local' or 'llm', not '{classifierName}'.\n{Usage}");
            return 2;
        }

        LabelledReviewSet set;
        try
        {
            set = LabelledReviewCsv.Read(input);
        }
        catch (EvaluationInputException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }

        if (set.Reviews.Count == 0)
        {
            await error.WriteLineAsync($"error: '{input}' has no usable review ({set.Malformed.Count} malformed rows).");
            return 1;
        }

        await using var classifier = await EvaluationClassifier.CreateAsync(classifierName, options, cancellationToken);
        if (classifier.Problem is { } unavailable)
        {
            await error.WriteLineAsync($"error: {unavailable}");
            return 1;
        }

        var report = await EvaluateAsync(input, classifierName, classifier.Classifier!, set, classifier.ReusesEmbeddings, cancellationToken);
        await output.WriteLineAsync(Format(report));

        if (options.TryGetValue("report", out var reportPath))
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(reportPath));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }

            await File.WriteAllTextAsync(reportPath, JsonSerializer.Serialize(report, ReportJsonOptions), cancellationToken);
            await output.WriteLineAsync($"Report written to {reportPath}");
        }

        return 0;
    }

    public static async Task<EvaluationReport> EvaluateAsync(
        string input, string classifierName, ISentimentClassifier classifier, LabelledReviewSet set, bool secondPassReusesWork, CancellationToken cancellationToken = default)
    {
        // One review first, untimed: loads the ONNX model (or the LLM) so throughput measures steady work.
        await classifier.ClassifyAsync([ToInput(set.Reviews[0], withRating: false)], cancellationToken);

        var textOnly = await PassAsync(classifier, set.Reviews, withRating: false, cancellationToken);
        var withStars = set.HasRatings ? await PassAsync(classifier, set.Reviews, withRating: true, cancellationToken) : null;
        if (withStars is not null && secondPassReusesWork)
        {
            withStars = withStars with { ReviewsPerSecond = null };
        }

        return new EvaluationReport(
            input, classifierName, classifier.ModelName, set.Reviews.Count, set.Malformed.Count,
            set.Malformed.Take(MaxMalformedExamples).ToList(), textOnly, withStars, DateTimeOffset.UtcNow);
    }

    private static async Task<EvaluationPass> PassAsync(ISentimentClassifier classifier, IReadOnlyList<LabelledReview> reviews, bool withRating, CancellationToken cancellationToken)
    {
        var predicted = new List<SentimentLabel>(reviews.Count);
        var fallbacks = 0;
        var stopwatch = Stopwatch.StartNew();
        foreach (var batch in reviews.Chunk(BatchSize))
        {
            var results = await classifier.ClassifyAsync(batch.Select(r => ToInput(r, withRating)).ToList(), cancellationToken);
            predicted.AddRange(results.Select(r => r.Label));
            fallbacks += results.Count(r => r.Model != classifier.ModelName);
        }

        stopwatch.Stop();
        var seconds = stopwatch.Elapsed.TotalSeconds;
        return new EvaluationPass(
            SentimentMetrics.Compute(reviews.Select(r => r.Label).ToList(), predicted),
            Math.Round(seconds, 3), seconds > 0 ? Math.Round(reviews.Count / seconds, 1) : null, fallbacks);
    }

    private static ReviewInput ToInput(LabelledReview review, bool withRating) =>
        new(review.Line, 0, withRating ? review.Rating : 0, review.Title, review.Text);

    public static string Format(EvaluationReport report)
    {
        var text = new System.Text.StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"Evaluated {report.Reviews} reviews from {report.Input} with {report.Classifier} ({report.Model}); {report.MalformedRows} malformed rows skipped.");
        foreach (var example in report.MalformedExamples)
        {
            text.AppendLine(c, $"  malformed line {example.Line}: {example.Reason}");
        }

        AppendPass(text, "Text only", report.TextOnly);
        if (report.WithStars is { } withStars)
        {
            AppendPass(text, "With star prior", withStars);
        }
        else
        {
            text.AppendLine("With star prior: not measured (the file has no rating column).");
        }

        return text.ToString().TrimEnd();
    }

    private static void AppendPass(System.Text.StringBuilder text, string title, EvaluationPass pass)
    {
        var c = CultureInfo.InvariantCulture;
        var m = pass.Metrics;
        text.AppendLine();
        var fallbacks = pass.Fallbacks > 0 ? string.Create(c, $", {pass.Fallbacks} decided by the fallback") : "";
        var speed = pass.ReviewsPerSecond is { } perSecond
            ? string.Create(c, $"{perSecond:0.0} reviews/s ({pass.Seconds:0.0} s)")
            : "embeddings reused from the text-only pass";
        text.AppendLine(c, $"{title}: accuracy {m.Accuracy:0.000}, macro-F1 {m.MacroF1:0.000}, {speed}{fallbacks}");
        text.AppendLine("  label      precision  recall     F1  support");
        foreach (var label in m.Labels)
        {
            var k = m.PerClass[label];
            text.AppendLine(c, $"  {label,-9} {k.Precision,10:0.000} {k.Recall,7:0.000} {k.F1,6:0.000} {k.Support,8}");
        }

        text.AppendLine("  confusion (rows: truth, columns: predicted)");
        text.AppendLine(c, $"  {"",-9} {string.Join(" ", m.Labels.Select(l => $"{l,9}"))}");
        for (var t = 0; t < m.Labels.Length; t++)
        {
            text.AppendLine(c, $"  {m.Labels[t],-9} {string.Join(" ", m.Confusion[t].Select(v => $"{v,9}"))}");
        }
    }
}

/// <summary>Minimal "--name value" parsing for the service's offline commands.</summary>
public static class CommandLine
{
    public static bool TryParse(IEnumerable<string> args, IReadOnlyCollection<string> known, out Dictionary<string, string> options, out string? problem)
    {
        options = new Dictionary<string, string>(StringComparer.Ordinal);
        problem = null;
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var arg = list[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || !known.Contains(arg[2..]))
            {
                problem = $"Unknown argument '{arg}'.";
                return false;
            }

            if (i + 1 >= list.Count || list[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                problem = $"{arg} needs a value.";
                return false;
            }

            options[arg[2..]] = list[++i];
        }

        return true;
    }
}
