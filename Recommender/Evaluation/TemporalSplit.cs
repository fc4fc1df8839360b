namespace EcomGo.Recommender.Evaluation;

/// <summary>
/// A global time cut-off: everything before it is training, everything at or after it is test. The validation split
/// used for tuning is the same rule applied inside the training part, so tuning never sees the test part.
/// </summary>
public sealed class TemporalSplit
{
    /// <summary>Share of interactions left after the default cut-off.</summary>
    public const double DefaultTestShare = 0.15;

    private TemporalSplit(InteractionLog log, int trainCount, long cutoffTicks)
    {
        CutoffTicks = cutoffTicks;
        TrainCount = trainCount;
        Train = new TrainingSet(log, log.Interactions.AsSpan(0, trainCount), cutoffTicks);
        Test = log.Interactions[trainCount..];

        var testItems = new Dictionary<int, HashSet<int>>();
        foreach (var interaction in Test)
        {
            if (Train.UserEvents[interaction.User].Length == 0) continue;
            if (!testItems.TryGetValue(interaction.User, out var items)) testItems[interaction.User] = items = [];
            items.Add(interaction.Item);
        }
        TestItems = testItems;
    }

    public long CutoffTicks { get; }

    public DateTimeOffset Cutoff => new(CutoffTicks, TimeSpan.Zero);

    public int TrainCount { get; }

    public TrainingSet Train { get; }

    public Interaction[] Test { get; }

    /// <summary>Items each evaluated user touched after the cut-off: only users with interactions on both sides.</summary>
    public IReadOnlyDictionary<int, HashSet<int>> TestItems { get; }

    /// <summary>Splits <paramref name="interactions"/> (time-ordered) at <paramref name="cutoffTicks"/>, or at the default cut-off.</summary>
    public static TemporalSplit Create(InteractionLog log, Interaction[] interactions, long? cutoffTicks = null)
    {
        var view = new InteractionLog { ItemIds = log.ItemIds, ItemTexts = log.ItemTexts, UserIds = log.UserIds, Interactions = interactions };
        var cutoff = cutoffTicks ?? DefaultCutoff(interactions);
        var trainCount = LowerBound(interactions, cutoff);
        return new TemporalSplit(view, trainCount, cutoff);
    }

    /// <summary>
    /// The time of the interaction at the (1 - 15%) quantile: with ties at that time all on the test side,
    /// so a day-granular log is cut at a day boundary.
    /// </summary>
    public static long DefaultCutoff(Interaction[] interactions)
    {
        if (interactions.Length < 2) throw new EvaluationInputException("The log has fewer than two usable interactions: nothing to split.");
        var index = (int)Math.Floor(interactions.Length * (1 - DefaultTestShare));
        index = Math.Clamp(index, 1, interactions.Length - 1);
        var cutoff = interactions[index].Ticks;
        if (cutoff <= interactions[0].Ticks)
        {
            // The first 85% share one timestamp: cut just after it instead.
            var next = Array.FindIndex(interactions, i => i.Ticks > interactions[0].Ticks);
            if (next < 0) throw new EvaluationInputException("Every interaction has the same timestamp: a time split is impossible.");
            cutoff = interactions[next].Ticks;
        }
        return cutoff;
    }

    /// <summary>The validation split: the default cut-off rule applied to the training part only.</summary>
    public TemporalSplit ValidationSplit(InteractionLog log) => Create(log, Train.Interactions);

    private static int LowerBound(Interaction[] interactions, long ticks)
    {
        int lo = 0, hi = interactions.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (interactions[mid].Ticks < ticks) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
