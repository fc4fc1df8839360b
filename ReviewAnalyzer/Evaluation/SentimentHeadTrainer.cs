using System.Numerics.Tensors;
using EcomGo.ReviewAnalyzer.Data;
using EcomGo.ReviewAnalyzer.Services;

namespace EcomGo.ReviewAnalyzer.Evaluation;

/// <summary>
/// Fits a <see cref="SentimentHead"/>: multinomial logistic regression with L2 regularisation, every feature
/// standardised with the training mean and standard deviation, classes weighted inversely to their frequency (so a
/// rare neutral class counts as much as the common positive one and the head does not simply learn "most reviews are
/// positive"), optimised full-batch with Adam. Deterministic: same data, same weights.
/// </summary>
public static class SentimentHeadTrainer
{
    public static SentimentHead Train(IReadOnlyList<float[]> features, IReadOnlyList<SentimentLabel> labels, double l2, string description, int iterations = 400)
    {
        var n = features.Count;
        var d = features[0].Length;
        var k = SentimentMetrics.LabelOrder.Length;
        var y = labels.Select(l => Array.IndexOf(SentimentMetrics.LabelOrder, l)).ToArray();

        var mean = new double[d];
        var scale = new double[d];
        foreach (var x in features)
        {
            for (var j = 0; j < d; j++)
            {
                mean[j] += x[j];
            }
        }

        for (var j = 0; j < d; j++)
        {
            mean[j] /= n;
        }

        foreach (var x in features)
        {
            for (var j = 0; j < d; j++)
            {
                scale[j] += (x[j] - mean[j]) * (x[j] - mean[j]);
            }
        }

        for (var j = 0; j < d; j++)
        {
            scale[j] = Math.Sqrt(scale[j] / n);
            if (scale[j] < 1e-6)
            {
                scale[j] = 1; // a constant feature: leave it unscaled (its weight stays ~0)
            }
        }

        var standardised = features.Select(x => Enumerable.Range(0, d).Select(j => (float)((x[j] - mean[j]) / scale[j])).ToArray()).ToArray();

        // Class weights n / (k * count): each class contributes equally to the loss.
        var counts = new int[k];
        foreach (var c in y)
        {
            counts[c]++;
        }

        var classWeight = counts.Select(c => c == 0 ? 0 : n / (double)(k * c)).ToArray();
        var weightSum = y.Sum(c => classWeight[c]);

        var w = Enumerable.Range(0, k).Select(_ => new float[d]).ToArray();
        var b = new double[k];
        var mw = Enumerable.Range(0, k).Select(_ => new double[d]).ToArray();
        var vw = Enumerable.Range(0, k).Select(_ => new double[d]).ToArray();
        var (mb, vb) = (new double[k], new double[k]);
        const double learningRate = 0.02, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
        var gw = Enumerable.Range(0, k).Select(_ => new float[d]).ToArray();
        var gb = new double[k];
        var logits = new double[k];

        for (var t = 1; t <= iterations; t++)
        {
            foreach (var g in gw)
            {
                Array.Clear(g);
            }

            Array.Clear(gb);
            for (var i = 0; i < n; i++)
            {
                var x = standardised[i];
                for (var c = 0; c < k; c++)
                {
                    logits[c] = b[c] + TensorPrimitives.Dot(w[c], x);
                }

                var p = SentimentHead.Softmax(logits);
                var sampleWeight = classWeight[y[i]] / weightSum;
                for (var c = 0; c < k; c++)
                {
                    var error = (p[c] - (c == y[i] ? 1 : 0)) * sampleWeight;
                    gb[c] += error;
                    TensorPrimitives.MultiplyAdd(x, (float)error, gw[c], gw[c]);
                }
            }

            var correction1 = 1 - Math.Pow(beta1, t);
            var correction2 = 1 - Math.Pow(beta2, t);
            for (var c = 0; c < k; c++)
            {
                for (var j = 0; j < d; j++)
                {
                    var g = gw[c][j] + l2 * w[c][j];
                    mw[c][j] = beta1 * mw[c][j] + (1 - beta1) * g;
                    vw[c][j] = beta2 * vw[c][j] + (1 - beta2) * g * g;
                    w[c][j] -= (float)(learningRate * (mw[c][j] / correction1) / (Math.Sqrt(vw[c][j] / correction2) + epsilon));
                }

                mb[c] = beta1 * mb[c] + (1 - beta1) * gb[c];
                vb[c] = beta2 * vb[c] + (1 - beta2) * gb[c] * gb[c];
                b[c] -= learningRate * (mb[c] / correction1) / (Math.Sqrt(vb[c] / correction2) + epsilon);
            }
        }

        return new SentimentHead
        {
            Description = description,
            Labels = SentimentMetrics.LabelOrder.Select(l => l.ToWire()).ToArray(),
            FeatureMean = mean.Select(v => (float)v).ToArray(),
            FeatureScale = scale.Select(v => (float)v).ToArray(),
            Weights = w,
            Bias = b.Select(v => (float)v).ToArray(),
        };
    }

    /// <summary>
    /// Temperature scaling (Guo et al., 2017): the T in softmax(logits / T) with the lowest class-weighted log-loss on
    /// predictions for rows the head was not trained on. T > 1 means the raw head is over-confident.
    /// </summary>
    public static double FitTemperature(IReadOnlyList<(double[] Logits, SentimentLabel Label)> outOfFold)
    {
        var counts = SentimentMetrics.LabelOrder.Select(l => outOfFold.Count(o => o.Label == l)).ToArray();
        double Loss(double t)
        {
            var loss = 0.0;
            foreach (var (logits, label) in outOfFold)
            {
                var c = Array.IndexOf(SentimentMetrics.LabelOrder, label);
                var p = SentimentHead.Softmax(logits.Select(z => z / t).ToArray());
                loss -= Math.Log(Math.Max(p[c], 1e-12)) / counts[c];
            }

            return loss;
        }

        var grid = Enumerable.Range(0, 60).Select(i => 0.5 + i * 0.1).ToArray(); // 0.5 .. 6.4
        return Math.Round(grid.MinBy(Loss), 2);
    }

    /// <summary>
    /// Macro-F1 as it would be on a balanced set: each row of the confusion matrix is rescaled to the same support
    /// before precision is computed (recall does not depend on class sizes, precision does).
    /// </summary>
    public static double BalancedMacroF1(int[][] confusion)
    {
        var k = confusion.Length;
        var rows = confusion.Select(r => { var s = r.Sum(); return r.Select(v => s == 0 ? 0 : v / (double)s).ToArray(); }).ToArray();
        var f1 = 0.0;
        for (var c = 0; c < k; c++)
        {
            var recall = rows[c][c];
            var predicted = rows.Sum(r => r[c]);
            var precision = predicted == 0 ? 0 : rows[c][c] / predicted;
            f1 += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        }

        return f1 / k;
    }
}
