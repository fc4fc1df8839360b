using EcomGo.ReviewAnalyzer.Data;
using EcomGo.ReviewAnalyzer.Services;

namespace EcomGo.ReviewAnalyzer.Evaluation;

public sealed record ClassMetrics(int Support, int Predicted, double Precision, double Recall, double F1);

/// <summary>
/// Agreement of predictions with the truth over the three labels. <see cref="Confusion"/>[t][p] counts reviews whose
/// truth is <see cref="Labels"/>[t] and prediction <see cref="Labels"/>[p]. A class never predicted has precision 0,
/// a class absent from the truth has recall 0; macro-F1 averages the F1 of the classes that occur in the truth or the
/// predictions (as scikit-learn's f1_score(average="macro") does).
/// </summary>
public sealed record SentimentMetrics(
    int Count,
    double Accuracy,
    double MacroF1,
    IReadOnlyDictionary<string, ClassMetrics> PerClass,
    string[] Labels,
    int[][] Confusion)
{
    public static readonly SentimentLabel[] LabelOrder = [SentimentLabel.Positive, SentimentLabel.Neutral, SentimentLabel.Negative];

    public static SentimentMetrics Compute(IReadOnlyList<SentimentLabel> truth, IReadOnlyList<SentimentLabel> predicted)
    {
        if (truth.Count != predicted.Count)
        {
            throw new ArgumentException("Truth and predictions differ in length.");
        }

        var k = LabelOrder.Length;
        var confusion = Enumerable.Range(0, k).Select(_ => new int[k]).ToArray();
        for (var i = 0; i < truth.Count; i++)
        {
            confusion[Array.IndexOf(LabelOrder, truth[i])][Array.IndexOf(LabelOrder, predicted[i])]++;
        }

        var perClass = new Dictionary<string, ClassMetrics>();
        var f1Occurring = new List<double>();
        var correct = 0;
        for (var c = 0; c < k; c++)
        {
            var truePositives = confusion[c][c];
            correct += truePositives;
            var support = confusion[c].Sum();
            var predictedCount = confusion.Sum(row => row[c]);
            var precision = predictedCount == 0 ? 0 : (double)truePositives / predictedCount;
            var recall = support == 0 ? 0 : (double)truePositives / support;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass[LabelOrder[c].ToWire()] = new ClassMetrics(support, predictedCount, precision, recall, f1);
            if (support > 0 || predictedCount > 0)
            {
                f1Occurring.Add(f1);
            }
        }

        return new SentimentMetrics(
            truth.Count,
            truth.Count == 0 ? 0 : (double)correct / truth.Count,
            f1Occurring.Count == 0 ? 0 : f1Occurring.Average(),
            perClass,
            LabelOrder.Select(l => l.ToWire()).ToArray(),
            confusion);
    }
}
