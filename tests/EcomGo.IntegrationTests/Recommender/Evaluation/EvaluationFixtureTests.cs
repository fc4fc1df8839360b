using EcomGo.Recommender.Evaluation;

namespace EcomGo.IntegrationTests.Recommender.Evaluation;

/// <summary>
/// The evaluation command on a tiny log whose figures are worked out by hand below (k = 2, cut-off 2024-01-10).
/// </summary>
/// <remarks>
/// Training (before the cut-off), no event column so every row weighs 1:
///   u1: A d1, B d2 | u2: C d1, A d1, A d2, A d3 | u3: D d2, C d4, B d5 | u4: D d6, B d7
/// Test (after): u1: C d10, A d11 | u2: A d11 | u3: E d12 | u5: A d12 (no training: not evaluated); u4 has no test rows.
/// Distinct training users: B 3, A 2 (4 rows), C 2 (2 rows), D 2 (2 rows), E 0, so the popularity order
/// (the tie-break of every method) is B, A, C, D, E.
///
/// new-items (relevant = test items not in the user's training; training items excluded from the list):
///   u1 relevant {C}, excluded {A,B}: list [C, D]: hit at rank 1: P 1/2, R 1, NDCG 1, hit.
///   u2 relevant {} (A is a training item): skipped.
///   u3 relevant {E}, excluded {B,C,D}: list [A, E]: hit at rank 2: P 1/2, R 1, NDCG 1/log2(3) = 0.630930, hit.
///   mean: P 0.5, R 1, NDCG (1 + 0.630930)/2 = 0.815465, hit rate 1, coverage |{C,D,A,E}|/5 = 0.8.
///   repeat-purchase has nothing left to repeat here, so it falls back to the same popularity lists: same figures.
///
/// with-repeats (relevant = all test items; nothing excluded):
///   popularity: [B, A] for everyone.
///     u1 {C,A}: A at rank 2: P 1/2, R 1/2, NDCG 0.630930 / (1 + 0.630930) = 0.386853.
///     u2 {A}: A at rank 2: P 1/2, R 1, NDCG 0.630930.   u3 {E}: nothing.
///     mean: P 1/3, R 0.5, NDCG (0.386853 + 0.630930)/3 = 0.339261, hit rate 2/3, coverage |{B,A}|/5 = 0.4.
///   repeat-purchase (own items by frequency, newest counts more with decay; same order with or without decay):
///     u1 [B, A] (tie or B newer): A at rank 2: P 1/2, R 1/2, NDCG 0.386853.
///     u2 [A, C] (A three times): A at rank 1: P 1/2, R 1, NDCG 1.   u3 [B, C]: nothing.
///     mean: P 1/3, R 0.5, NDCG (0.386853 + 1)/3 = 0.462284, hit rate 2/3, coverage |{B,A,C}|/5 = 0.6.
/// </remarks>
public sealed class EvaluationFixtureTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"recsys-fixture-{Guid.NewGuid():N}");

    public EvaluationFixtureTests()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(ItemsPath, """"
            item_id,title,description
            A,Trail shoe,"A light shoe, for trails"
            B,Road shoe,Cushioned
            C,Rain jacket,"Says ""waterproof"""
            D,Head torch,Bright
            E,Water bottle,Steel
            F,Broken"quote,this row is malformed
            """");
        File.WriteAllText(InteractionsPath, """
            user_id,item_id,timestamp
            u1,A,2024-01-01T12:00:00Z
            u2,C,2024-01-01T11:00:00Z
            u2,A,2024-01-01T12:00:00Z
            u1,B,2024-01-02T12:00:00Z
            u2,A,2024-01-02T12:00:00Z
            u3,D,2024-01-02T12:00:00Z
            u2,A,2024-01-03T12:00:00Z
            u3,C,2024-01-04T12:00:00Z
            u3,B,2024-01-05T12:00:00Z
            u4,D,2024-01-06T12:00:00Z
            u4,B,2024-01-07T12:00:00Z
            u9,A
            u9,A,not-a-date
            u1,C,2024-01-10T12:00:00Z
            u1,A,2024-01-11T12:00:00Z
            u2,A,2024-01-11T12:00:00Z
            u3,E,2024-01-12T12:00:00Z
            u5,A,2024-01-12T12:00:00Z
            """);
    }

    private string ItemsPath => Path.Combine(_directory, "items.csv");

    private string InteractionsPath => Path.Combine(_directory, "interactions.csv");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private Task<EvaluationReport> Run(params string[] extra) =>
        EvaluationCommand.RunAsync(
            EvaluationOptions.Parse(["--items", ItemsPath, "--interactions", InteractionsPath, "--cutoff", "2024-01-10", "--k", "2", "--embeddings", "none", .. extra]),
            generator: null, TextWriter.Null, TextWriter.Null);

    [Fact]
    public async Task Evaluate_TinyFixture_GivesTheHandComputedFigures()
    {
        var report = await Run("--methods", "popularity,repeat-purchase");

        var newItems = report.Protocols["new-items"];
        foreach (var method in new[] { "popularity", "repeat-purchase" })
        {
            AssertFigures(newItems[method], users: 2, precision: 0.5, recall: 1, ndcg: 0.815465, hitRate: 1, coverage: 0.8);
        }

        var withRepeats = report.Protocols["with-repeats"];
        AssertFigures(withRepeats["popularity"], users: 3, precision: 1.0 / 3, recall: 0.5, ndcg: 0.339261, hitRate: 2.0 / 3, coverage: 0.4);
        AssertFigures(withRepeats["repeat-purchase"], users: 3, precision: 1.0 / 3, recall: 0.5, ndcg: 0.462284, hitRate: 2.0 / 3, coverage: 0.6);

        // The JSON other tools read has the documented shape and the same figures.
        using var json = System.Text.Json.JsonDocument.Parse(report.ToJson());
        var figures = json.RootElement.GetProperty("protocols").GetProperty("with-repeats").GetProperty("methods").GetProperty("repeat-purchase");
        Assert.Equal(0.462284, figures.GetProperty("ndcg@2").GetDouble(), 5);
        Assert.Equal(["precision@2", "recall@2", "ndcg@2", "hit-rate@2", "coverage", "seconds"], figures.EnumerateObject().Select(p => p.Name));
        Assert.Equal("popularity", json.RootElement.GetProperty("protocols").GetProperty("new-items").GetProperty("production").GetString());
    }

    [Fact]
    public void Read_MalformedRows_AreCountedAndSkipped()
    {
        var (log, summary) = CsvLogReader.Read(ItemsPath, InteractionsPath);

        Assert.Equal(1, summary.MalformedItemRows);            // the stray quote in F's title
        Assert.Equal(2, summary.MalformedInteractionRows);     // the two-field row and the unreadable timestamp
        Assert.Equal(16, log.Interactions.Length);
        Assert.Equal(5, log.ItemCount);
        Assert.Equal("A light shoe, for trails", log.ItemTexts[0].Split(". ")[1]);
        Assert.Contains("Says \"waterproof\"", log.ItemTexts[2]);
    }

    [Fact]
    public void Read_MissingFile_IsAClearError()
    {
        var missing = Path.Combine(_directory, "nope.csv");
        var error = Assert.Throws<EvaluationInputException>(() => CsvLogReader.Read(missing, InteractionsPath));
        Assert.Contains("File not found", error.Message);
        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void Read_MissingColumn_NamesTheColumn()
    {
        File.WriteAllText(InteractionsPath, "user_id,item_id,when\nu1,A,2024-01-01\n");
        var error = Assert.Throws<EvaluationInputException>(() => CsvLogReader.Read(ItemsPath, InteractionsPath));
        Assert.Contains("no column timestamp", error.Message);
    }

    [Fact]
    public async Task Command_MissingFile_ExitsNonZero()
    {
        var exitCode = await EvaluationCommand.RunAsync(["--items", Path.Combine(_directory, "nope.csv"), "--interactions", InteractionsPath, "--embeddings", "none"]);
        Assert.Equal(2, exitCode);
        Assert.Equal(1, await EvaluationCommand.RunAsync(["--items", ItemsPath]));
    }

    [Fact]
    public void Tuning_SeesOnlyInteractionsBeforeTheTestCutoff()
    {
        var (log, _) = CsvLogReader.Read(ItemsPath, InteractionsPath);
        var cutoff = new DateTimeOffset(2024, 1, 10, 0, 0, 0, TimeSpan.Zero).UtcTicks;
        var split = TemporalSplit.Create(log, log.Interactions, cutoff);
        var folds = Tuner.FoldsFor(split, log);
        var validation = folds[0];
        var tuner = new Tuner(folds, k: 2, log.ItemCount, _ => { });

        Assert.Equal(11, split.TrainCount);
        Assert.True(validation.CutoffTicks <= split.CutoffTicks);
        Assert.All(validation.Train.Interactions.Concat(validation.Test), i => Assert.True(i.Ticks < split.CutoffTicks));
        Assert.Equal(split.TrainCount, validation.Train.Interactions.Length + validation.Test.Length);
        Assert.All(tuner.Targets, t => Assert.Contains(t.Split, folds));
        Assert.All(folds, f => Assert.All(f.Train.Interactions.Concat(f.Test), i => Assert.True(i.Ticks < split.CutoffTicks)));
        Assert.Equal(validation, split.ValidationSplit(log), (a, b) => a.CutoffTicks == b.CutoffTicks && a.TrainCount == b.TrainCount);
        // The default rule leaves ~15% for the held-out side: 11 training rows -> cut at the 10th row's time (2024-01-06).
        Assert.Equal(new DateTimeOffset(2024, 1, 6, 12, 0, 0, TimeSpan.Zero), validation.Cutoff);
    }

    private static void AssertFigures(MethodResult result, int users, double precision, double recall, double ndcg, double hitRate, double coverage)
    {
        Assert.Equal(users, result.Users);
        Assert.Equal(precision, result.Precision, 5);
        Assert.Equal(recall, result.Recall, 5);
        Assert.Equal(ndcg, result.Ndcg, 5);
        Assert.Equal(hitRate, result.HitRate, 5);
        Assert.Equal(coverage, result.Coverage, 5);
    }
}
