using EcomGo.ReviewAnalyzer.Evaluation;
using EcomGo.ReviewAnalyzer.Services;
using Xunit.Abstractions;

namespace EcomGo.IntegrationTests.ReviewAnalyzer;

/// <summary>
/// The no-LLM classifier from text alone (rating 0, so the stars cannot help) on data its head never saw:
/// <list type="bullet">
/// <item>the balanced held-out slice of the real review dev set (products kept out of training entirely);</item>
/// <item>the project's hand-written labelled set (other product kinds; never used for training).</item>
/// </list>
/// Target from the issue: macro-F1 >= 0.60 on a balanced three-class set (majority class 0.17, a hand lexicon 0.45-0.54).
/// </summary>
public sealed class LocalClassifierQualityTests(ITestOutputHelper output)
{
    private const double TargetMacroF1 = 0.60;

    private static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "Evaluation", "Data", name);

    private async Task<EvaluationReport> EvaluateAsync(string name)
    {
        var path = DataFile(name);
        var set = LabelledReviewCsv.Read(path);
        Assert.Empty(set.Malformed);
        var classifier = new LocalSentimentClassifier(SharedMiniLm.Instance);
        var report = await EvaluationCommand.EvaluateAsync(path, "local", classifier, set with { HasRatings = false }, secondPassReusesWork: false);
        output.WriteLine(EvaluationCommand.Format(report));
        Assert.All(report.TextOnly.Metrics.PerClass.Values, c => Assert.True(c.Support > 0));
        return report;
    }

    [Fact]
    public async Task Reaches_the_target_on_held_out_real_reviews_from_text_alone()
    {
        var report = await EvaluateAsync("sentiment-dev-holdout.csv");
        Assert.True(report.Reviews >= 300, $"held-out slice has only {report.Reviews} reviews");
        var m = report.TextOnly.Metrics;
        Assert.True(m.MacroF1 >= TargetMacroF1, $"macro-F1 {m.MacroF1:0.000} < {TargetMacroF1} on held-out real reviews");
        // Neutral is the hard class: it must be found, not given up on.
        Assert.True(m.PerClass["neutral"].Recall >= 0.35, $"neutral recall {m.PerClass["neutral"].Recall:0.000}");
    }

    [Fact]
    public async Task Reaches_the_target_on_the_hand_written_set_of_other_product_kinds_from_text_alone()
    {
        var report = await EvaluateAsync("handwritten-reviews.csv");
        Assert.True(report.Reviews >= 400);
        var m = report.TextOnly.Metrics;
        Assert.True(m.MacroF1 >= TargetMacroF1, $"macro-F1 {m.MacroF1:0.000} < {TargetMacroF1} on the hand-written set");
    }
}
