using System.Text.Json;
using EcomGo.ReviewAnalyzer.Data;
using EcomGo.ReviewAnalyzer.Evaluation;
using TestServer = EcomGo.OllamaTestServer.OllamaTestServer;

namespace EcomGo.IntegrationTests.ReviewAnalyzer;

/// <summary>
/// The <c>evaluate</c> command, run in-process as `dotnet run --project ReviewAnalyzer -- evaluate ...` runs it (no
/// AppHost, no database). Exact figures come from the LLM path with the scripted Ollama test server, whose answers
/// are fixed per review, so every number below is computed by hand.
/// </summary>
public sealed class EvaluationCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("evaluate-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteCsv(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    // Ten usable reviews (truth, scripted prediction) plus four malformed rows.
    private const string Fixture =
        "text,label,rating,title\n" +
        "Review one,positive,5,A\n" +             // positive -> positive
        "Review two,positive,4,\n" +              // positive -> positive
        "Review three,positive,5,\"Title, with comma\"\n" + // positive -> neutral
        "\"Review four, \"\"quoted\"\"\",positive,4,\n" + // positive -> positive
        "Review five,neutral,3,\n" +              // neutral -> neutral
        "Review six,neutral,3,\n" +               // neutral -> negative
        "Review seven,neutral,3,\n" +             // neutral -> positive
        "Review eight,negative,1,\n" +            // negative -> negative
        "Review nine,negative,2,\n" +             // negative -> negative
        "Review ten,negative,1,\n" +              // negative -> neutral
        "Bad label,great,5,\n" +                  // malformed: unknown label
        "Bad rating,positive,7,\n" +              // malformed: rating outside 1-5
        ",negative,1,\n" +                        // malformed: empty text
        "Too few fields,positive\n";              // malformed: 2 fields, the header has 4

    private static readonly Dictionary<string, string> s_scripted = new()
    {
        ["Review one"] = "positive", ["Review two"] = "positive", ["Review three"] = "neutral", ["Review four"] = "positive",
        ["Review five"] = "neutral", ["Review six"] = "negative", ["Review seven"] = "positive",
        ["Review eight"] = "negative", ["Review nine"] = "negative", ["Review ten"] = "neutral",
    };

    [Fact]
    public async Task Gives_the_hand_computed_figures_on_a_small_fixture()
    {
        await using var ollama = await TestServer.StartAsync();
        ollama.AddModel("llama3.2:1b");
        ollama.Chat.Fallback = request =>
        {
            var text = s_scripted.Keys.Single(k => request.LastUserMessage.Contains(k, StringComparison.Ordinal));
            return $"{{\"label\":\"{s_scripted[text]}\",\"confidence\":0.9,\"aspects\":[]}}";
        };

        var input = WriteCsv("fixture.csv", Fixture);
        var reportPath = Path.Combine(_directory, "out", "report.json");
        var (exitCode, output, error) = await RunAsync("evaluate", "--input", input, "--classifier", "llm",
            "--ollama", ollama.Endpoint.ToString(), "--model", "llama3.2:1b", "--report", reportPath);

        Assert.True(exitCode == 0, $"exit code {exitCode}: {error}");
        Assert.True(File.Exists(reportPath), "no JSON report written");
        var report = JsonSerializer.Deserialize<EvaluationReport>(await File.ReadAllTextAsync(reportPath), EvaluationCommand.ReportJsonOptions)!;

        Assert.Equal(10, report.Reviews);
        Assert.Equal(4, report.MalformedRows);
        Assert.Equal([12, 13, 14, 15], report.MalformedExamples.Select(m => m.Line).ToArray()); // header is line 1

        // Confusion, rows truth / columns predicted (positive, neutral, negative):
        //   positive [3 1 0]   neutral [1 1 1]   negative [0 1 2]
        // accuracy  = (3 + 1 + 2) / 10 = 0.6
        // positive: precision 3 / (3+1+0) = 0.75, recall 3/4 = 0.75, F1 0.75
        // neutral:  precision 1 / (1+1+1) = 1/3,  recall 1/3,        F1 1/3
        // negative: precision 2 / (0+1+2) = 2/3,  recall 2/3,        F1 2/3
        // macro-F1  = (0.75 + 1/3 + 2/3) / 3 = 1.75 / 3 = 0.58333...
        foreach (var pass in new[] { report.TextOnly, report.WithStars! })
        {
            var m = pass.Metrics;
            Assert.Equal(10, m.Count);
            Assert.Equal(["positive", "neutral", "negative"], m.Labels);
            Assert.Equal([3, 1, 0], m.Confusion[0]);
            Assert.Equal([1, 1, 1], m.Confusion[1]);
            Assert.Equal([0, 1, 2], m.Confusion[2]);
            Assert.Equal(0.6, m.Accuracy, 9);
            Assert.Equal(1.75 / 3, m.MacroF1, 9);
            Assert.Equal(0.75, m.PerClass["positive"].Precision, 9);
            Assert.Equal(0.75, m.PerClass["positive"].Recall, 9);
            Assert.Equal(1 / 3.0, m.PerClass["neutral"].Precision, 9);
            Assert.Equal(1 / 3.0, m.PerClass["neutral"].Recall, 9);
            Assert.Equal(2 / 3.0, m.PerClass["negative"].Precision, 9);
            Assert.Equal(2 / 3.0, m.PerClass["negative"].Recall, 9);
            Assert.Equal(4, m.PerClass["positive"].Support);
            Assert.Equal(0, pass.Fallbacks);
            Assert.True(pass.ReviewsPerSecond > 0, "the LLM path measures both passes");
        }

        Assert.Equal("ollama:llama3.2:1b", report.Model);
        Assert.Contains("macro-F1 0.583", output);
        Assert.Contains("accuracy 0.600", output);
        Assert.Contains("With star prior", output);
        // The text-only pass must not reveal the stars; the with-stars pass must (1 + 10 + 10 chat calls incl. warm-up).
        Assert.Equal(21, ollama.ChatRequestCount);
    }

    [Fact]
    public void Metrics_follow_the_usual_definitions_when_a_class_is_never_predicted()
    {
        // truth: P P N N G G (P positive, N neutral, G negative); predicted: P P P P G G (neutral never predicted).
        // positive: precision 2/4 = 0.5, recall 2/2 = 1, F1 2*0.5*1/1.5 = 2/3
        // neutral:  precision 0 (never predicted), recall 0/2 = 0, F1 0
        // negative: precision 2/2 = 1, recall 1, F1 1
        // accuracy 4/6; macro-F1 (2/3 + 0 + 1) / 3 = 5/9
        SentimentLabel P = SentimentLabel.Positive, N = SentimentLabel.Neutral, G = SentimentLabel.Negative;
        var m = SentimentMetrics.Compute([P, P, N, N, G, G], [P, P, P, P, G, G]);
        Assert.Equal(4 / 6.0, m.Accuracy, 9);
        Assert.Equal(5 / 9.0, m.MacroF1, 9);
        Assert.Equal(0, m.PerClass["neutral"].Precision);
        Assert.Equal(0, m.PerClass["neutral"].Predicted);
        Assert.Equal(2 / 3.0, m.PerClass["positive"].F1, 9);
    }

    [Fact]
    public async Task A_file_with_ratings_only_derives_labels_from_the_stars()
    {
        var set = LabelledReviewCsv.Read(WriteCsv("ratings.csv", "Title,Text,Rating\nx,awful,1\ny,meh,2\nz,fine,3\nw,good,4\nv,great,5\n"));
        Assert.True(set.HasRatings);
        Assert.False(set.HasLabels);
        Assert.Equal([SentimentLabel.Negative, SentimentLabel.Negative, SentimentLabel.Neutral, SentimentLabel.Positive, SentimentLabel.Positive],
            set.Reviews.Select(r => r.Label).ToArray());
        Assert.Equal("x. awful", set.Reviews[0].FullText);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_missing_file_is_a_clear_error()
    {
        var (exitCode, _, error) = await RunAsync("evaluate", "--input", Path.Combine(_directory, "nope.csv"));
        Assert.Equal(1, exitCode);
        Assert.Contains("nope.csv' does not exist", error);
    }

    [Fact]
    public async Task A_file_without_a_label_or_rating_column_is_a_clear_error()
    {
        var (exitCode, _, error) = await RunAsync("evaluate", "--input", WriteCsv("no-label.csv", "text,stars\nGreat,5\n"));
        Assert.Equal(1, exitCode);
        Assert.Contains("neither a 'label' nor a 'rating' column", error);

        (exitCode, _, error) = await RunAsync("evaluate", "--input", WriteCsv("no-text.csv", "review,label\nGreat,positive\n"));
        Assert.Equal(1, exitCode);
        Assert.Contains("no 'text' column", error);
    }

    [Fact]
    public async Task A_file_of_only_malformed_rows_is_an_error_not_a_score()
    {
        var (exitCode, _, error) = await RunAsync("evaluate", "--input", WriteCsv("bad.csv", "text,label\nA,good\nB,bad\n"));
        Assert.Equal(1, exitCode);
        Assert.Contains("no usable review (2 malformed rows)", error);
    }

    [Fact]
    public async Task Bad_arguments_are_usage_errors()
    {
        var (exitCode, _, error) = await RunAsync("evaluate", "--input", "x.csv", "--classifier", "magic");
        Assert.Equal(2, exitCode);
        Assert.Contains("--classifier must be 'local' or 'llm'", error);

        (exitCode, _, error) = await RunAsync("evaluate");
        Assert.Equal(2, exitCode);
        Assert.Contains("--input is required", error);
    }

    [Fact]
    public async Task The_llm_classifier_without_an_endpoint_is_a_clear_error()
    {
        var (exitCode, _, error) = await RunAsync("evaluate", "--input", WriteCsv("ok.csv", "text,label\nGreat,positive\n"), "--classifier", "llm");
        Assert.Equal(1, exitCode);
        Assert.Contains("needs --ollama", error);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await EvaluationCommand.RunAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }
}
