using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CsvHelper;
using EcomGo.ReviewAnalyzer.Data;
using EcomGo.ReviewAnalyzer.Services;
using EcomGo.ServiceDefaults.Ai;

namespace EcomGo.ReviewAnalyzer.Evaluation;

/// <summary>
/// <c>train-sentiment-head --input labelled.csv --output head.json [--holdout-share 0.2] [--holdout-out holdout.csv]
/// [--folds 5] [--l2 0.001,0.01] [--cache embeddings.bin]</c>: trains the local classifier's head (how the shipped
/// <c>Resources/sentiment-head.json</c> was made; the README gives the exact command).
/// <list type="number">
/// <item>Rows are split by their <c>group</c> column (e.g. product id; without it each text is its own group): a hash
/// of the group puts about <c>holdout-share</c> of the groups in a held-out part that training never sees. A balanced
/// sample of it (the same number per label) is written to <c>--holdout-out</c> for the evaluate command.</item>
/// <item>Each L2 strength is cross-validated over <c>--folds</c> group folds of the training part; the one with the best
/// balanced macro-F1 is used to train the final head on the whole training part.</item>
/// </list>
/// </summary>
public static class TrainSentimentHeadCommand
{
    public const string Name = "train-sentiment-head";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        if (!CommandLine.TryParse(args.Skip(1), ["input", "output", "holdout-share", "holdout-out", "folds", "l2", "cache"], out var options, out var problem)
            || !options.ContainsKey("input") || !options.ContainsKey("output"))
        {
            await error.WriteLineAsync((problem ?? "--input and --output are required.") +
                "\nusage: dotnet run --project ReviewAnalyzer -- train-sentiment-head --input labelled.csv --output head.json [--holdout-share 0.2] [--holdout-out holdout.csv] [--folds 5] [--l2 0.001,0.01] [--cache embeddings.bin]");
            return 2;
        }

        var c = CultureInfo.InvariantCulture;
        var holdoutShare = double.Parse(options.GetValueOrDefault("holdout-share", "0.2"), c);
        var folds = int.Parse(options.GetValueOrDefault("folds", "5"), c);
        var l2Grid = options.GetValueOrDefault("l2", "0.0003,0.001,0.003,0.01,0.03").Split(',').Select(v => double.Parse(v, c)).ToArray();

        LabelledReviewSet set;
        try
        {
            set = LabelledReviewCsv.Read(options["input"]);
        }
        catch (EvaluationInputException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }

        var reviews = set.Reviews;
        await output.WriteLineAsync($"{reviews.Count} rows ({set.Malformed.Count} malformed), {reviews.Select(GroupOf).Distinct().Count()} groups");

        using var embeddings = new MiniLmEmbeddingGenerator();
        var classifier = new LocalSentimentClassifier(embeddings, head: null);
        var vectors = await EmbedAsync(embeddings, reviews.Select(r => r.FullText).ToList(), options.GetValueOrDefault("cache"), output, cancellationToken);
        var features = reviews.Select((r, i) => classifier.Features(vectors[i], r.FullText)).ToArray();

        var heldOut = reviews.Select(r => Unit("holdout:" + GroupOf(r)) < holdoutShare).ToArray();
        var train = Enumerable.Range(0, reviews.Count).Where(i => !heldOut[i]).ToArray();
        var test = Enumerable.Range(0, reviews.Count).Where(i => heldOut[i]).ToArray();
        var balancedTest = BalancedSample(test, reviews);
        await output.WriteLineAsync($"training part {train.Length} rows; held-out part {test.Length} rows, balanced sample {balancedTest.Length}");

        var best = (L2: l2Grid[0], Score: double.MinValue, OutOfFold: new List<(double[] Logits, SentimentLabel Label)>());
        foreach (var l2 in l2Grid)
        {
            var outOfFold = new List<(double[] Logits, SentimentLabel Label)>();
            var confusion = Enumerable.Range(0, 3).Select(_ => new int[3]).ToArray();
            for (var fold = 0; fold < folds; fold++)
            {
                var inFold = train.Where(i => FoldOf(reviews[i], folds) == fold).ToArray();
                var outFold = train.Where(i => FoldOf(reviews[i], folds) != fold).ToArray();
                var head = SentimentHeadTrainer.Train(outFold.Select(i => features[i]).ToList(), outFold.Select(i => reviews[i].Label).ToList(), l2, "cv");
                var metrics = Measure(head, inFold, features, reviews);
                outOfFold.AddRange(inFold.Select(i => (head.Logits(features[i]), reviews[i].Label)));
                for (var t = 0; t < 3; t++)
                {
                    for (var p = 0; p < 3; p++)
                    {
                        confusion[t][p] += metrics.Confusion[t][p];
                    }
                }
            }

            var balancedF1 = SentimentHeadTrainer.BalancedMacroF1(confusion);
            await output.WriteLineAsync(string.Create(c, $"l2 {l2}: {folds}-fold grouped CV balanced macro-F1 {balancedF1:0.000}"));
            if (balancedF1 > best.Score)
            {
                best = (l2, balancedF1, outOfFold);
            }
        }

        var description = string.Create(c,
            $"Multinomial logistic regression over all-MiniLM-L6-v2 + VADER features; trained on {train.Length} rows of {Path.GetFileName(options["input"])} " +
            $"(groups with hash('holdout:'+group) >= {holdoutShare} held out), class-balanced weights, l2 {best.L2} " +
            $"chosen by {folds}-fold grouped CV (balanced macro-F1 {best.Score:0.000}).");
        var temperature = SentimentHeadTrainer.FitTemperature(best.OutOfFold);
        await output.WriteLineAsync(string.Create(c, $"temperature {temperature} (fitted on the out-of-fold predictions of l2 {best.L2})"));
        description += string.Create(c, $" Temperature {temperature} fitted on out-of-fold predictions (class-weighted log-loss).");
        var final = SentimentHeadTrainer.Train(train.Select(i => features[i]).ToList(), train.Select(i => reviews[i].Label).ToList(), best.L2, description);
        final = new SentimentHead
        {
            Description = final.Description, Labels = final.Labels, FeatureMean = final.FeatureMean, FeatureScale = final.FeatureScale,
            Weights = final.Weights, Bias = final.Bias, Temperature = (float)temperature,
        };
        var held = Measure(final, balancedTest, features, reviews);
        await output.WriteLineAsync(string.Create(c, $"final head (l2 {best.L2}) on the balanced held-out sample: accuracy {held.Accuracy:0.000}, macro-F1 {held.MacroF1:0.000}"));

        await File.WriteAllTextAsync(options["output"], JsonSerializer.Serialize(Rounded(final), SentimentHead.JsonOptions), cancellationToken);
        await output.WriteLineAsync($"head written to {options["output"]}");

        if (options.TryGetValue("holdout-out", out var holdoutPath))
        {
            using (var csv = CsvWriter.ToFile(holdoutPath, CsvWriterOptions.Default with { Separator = ',', NewLine = "\n" }))
            {
                csv.WriteField("text");
                csv.WriteField(set.HasRatings ? "rating" : "label");
                csv.EndRecord();
                foreach (var i in balancedTest)
                {
                    csv.WriteField(reviews[i].FullText);
                    csv.WriteField(set.HasRatings ? reviews[i].Rating.ToString(c) : reviews[i].Label.ToWire());
                    csv.EndRecord();
                }
            }

            await output.WriteLineAsync($"balanced held-out sample written to {holdoutPath}");
        }

        return 0;
    }

    private static string GroupOf(LabelledReview review) => review.Group.Length > 0 ? review.Group : review.FullText;

    private static int FoldOf(LabelledReview review, int folds) => (int)(Unit("fold:" + GroupOf(review)) * folds);

    /// <summary>A stable number in [0, 1) from a string (first 8 bytes of its SHA-256).</summary>
    private static double Unit(string value) =>
        BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(value)), 0) / (ulong.MaxValue + 1.0);

    /// <summary>The same number of rows per label (the rarest label's count), chosen by text hash.</summary>
    private static int[] BalancedSample(int[] rows, IReadOnlyList<LabelledReview> reviews)
    {
        var byLabel = rows.GroupBy(i => reviews[i].Label).ToList();
        var perLabel = byLabel.Count == 3 ? byLabel.Min(g => g.Count()) : 0;
        return byLabel.SelectMany(g => g.OrderBy(i => Unit("sample:" + reviews[i].FullText)).Take(perLabel))
            .OrderBy(i => Unit("order:" + reviews[i].FullText)).ToArray();
    }

    private static SentimentMetrics Measure(SentimentHead head, int[] rows, float[][] features, IReadOnlyList<LabelledReview> reviews)
    {
        var predicted = rows.Select(i =>
        {
            var p = head.Probabilities(features[i]);
            return SentimentMetrics.LabelOrder[Array.IndexOf(p, p.Max())];
        }).ToList();
        return SentimentMetrics.Compute(rows.Select(i => reviews[i].Label).ToList(), predicted);
    }

    /// <summary>Six significant digits are plenty and keep the shipped file small.</summary>
    private static SentimentHead Rounded(SentimentHead head)
    {
        static float[] R(float[] v) => v.Select(x => float.Parse(x.ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)).ToArray();
        return new SentimentHead
        {
            Description = head.Description,
            Labels = head.Labels,
            FeatureMean = R(head.FeatureMean),
            FeatureScale = R(head.FeatureScale),
            Weights = head.Weights.Select(R).ToArray(),
            Bias = R(head.Bias),
            Temperature = head.Temperature,
        };
    }

    /// <summary>Embeddings for the texts, reusing a cache file (text SHA-256 -> vector, appended per batch) between runs when given.</summary>
    private static async Task<float[][]> EmbedAsync(MiniLmEmbeddingGenerator embeddings, IReadOnlyList<string> texts, string? cachePath, TextWriter output, CancellationToken cancellationToken)
    {
        var cache = new Dictionary<string, float[]>(StringComparer.Ordinal);
        if (cachePath is not null && File.Exists(cachePath))
        {
            using var reader = new BinaryReader(File.OpenRead(cachePath));
            while (reader.BaseStream.Position < reader.BaseStream.Length)
            {
                var key = reader.ReadString();
                var vector = new float[reader.ReadInt32()];
                for (var j = 0; j < vector.Length; j++)
                {
                    vector[j] = reader.ReadSingle();
                }

                cache[key] = vector;
            }
        }

        static string KeyOf(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        var missing = texts.Where(t => !cache.ContainsKey(KeyOf(t))).Distinct().ToList();
        await output.WriteLineAsync($"{texts.Count - missing.Count} embeddings from the cache, {missing.Count} to compute");
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        using var writer = cachePath is null ? null : new BinaryWriter(File.Open(cachePath, FileMode.Append));
        var done = 0;
        foreach (var batch in missing.OrderBy(t => t.Length).Chunk(16)) // similar lengths together: a batch is padded to its longest text
        {
            var generated = await embeddings.GenerateAsync(batch, cancellationToken: cancellationToken);
            for (var i = 0; i < batch.Length; i++)
            {
                var vector = generated[i].Vector.ToArray();
                cache[KeyOf(batch[i])] = vector;
                if (writer is not null)
                {
                    writer.Write(KeyOf(batch[i]));
                    writer.Write(vector.Length);
                    foreach (var v in vector)
                    {
                        writer.Write(v);
                    }
                }
            }

            writer?.Flush();
            done += batch.Length;
            if (done % 320 == 0)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  embedded {done}/{missing.Count} in {stopwatch.Elapsed.TotalSeconds:0} s"));
            }
        }

        return texts.Select(t => cache[KeyOf(t)]).ToArray();
    }
}
