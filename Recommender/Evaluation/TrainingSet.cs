namespace EcomGo.Recommender.Evaluation;

/// <summary>
/// The interactions before a cut-off, indexed for the methods: per user, per item, popularity, and the
/// reference time that decay is measured from (the cut-off itself: nothing after it is known).
/// </summary>
public sealed class TrainingSet
{
    private const double TicksPerDay = TimeSpan.TicksPerDay;

    public TrainingSet(InteractionLog log, ReadOnlySpan<Interaction> interactions, long referenceTicks)
    {
        ItemCount = log.ItemCount;
        UserCount = log.UserCount;
        ReferenceTicks = referenceTicks;
        Interactions = interactions.ToArray();
        FirstTicks = Interactions.Length > 0 ? Interactions[0].Ticks : referenceTicks;

        var byUser = new List<Interaction>[UserCount];
        foreach (var interaction in Interactions) (byUser[interaction.User] ??= []).Add(interaction);
        UserEvents = [.. byUser.Select(e => e?.ToArray() ?? [])];
        UserItems = [.. UserEvents.Select(e => e.Select(i => i.Item).Distinct().Order().ToArray())];

        var itemUsers = new List<int>[ItemCount];
        for (var u = 0; u < UserCount; u++)
        {
            foreach (var item in UserItems[u]) (itemUsers[item] ??= []).Add(u);
        }
        ItemUsers = [.. itemUsers.Select(l => l?.ToArray() ?? [])];

        var counts = new int[ItemCount];
        foreach (var interaction in Interactions) counts[interaction.Item]++;
        // Ties in every method's ranking go to the more popular item, so lists are complete and deterministic.
        PopularityOrder = [.. Enumerable.Range(0, ItemCount)
            .OrderByDescending(i => ItemUsers[i].Length).ThenByDescending(i => counts[i]).ThenBy(i => i)];
    }

    public int ItemCount { get; }

    public int UserCount { get; }

    public long ReferenceTicks { get; }

    public long FirstTicks { get; }

    /// <summary>Days covered by the training data (at least one).</summary>
    public double SpanDays => Math.Max(1, (ReferenceTicks - FirstTicks) / TicksPerDay);

    public Interaction[] Interactions { get; }

    /// <summary>Each user's interactions in time order.</summary>
    public Interaction[][] UserEvents { get; }

    /// <summary>Each user's distinct items, ascending.</summary>
    public int[][] UserItems { get; }

    /// <summary>Each item's distinct users, ascending.</summary>
    public int[][] ItemUsers { get; }

    /// <summary>All items, most distinct users first: the tie-break order of every ranking.</summary>
    public int[] PopularityOrder { get; }

    /// <summary>Exponential decay factor of an interaction: 1 at the reference time, 0.5 one half-life earlier; no decay when the half-life is infinite.</summary>
    public double Decay(long ticks, double halfLifeDays) =>
        double.IsPositiveInfinity(halfLifeDays) ? 1.0 : Math.Pow(0.5, (ReferenceTicks - ticks) / TicksPerDay / halfLifeDays);

    /// <summary>A user's items with their event-weighted, decayed sums (items whose sum is not positive are left out).</summary>
    public List<(int Item, double Weight)> WeightedItems(int user, double halfLifeDays)
    {
        var sums = new Dictionary<int, double>();
        foreach (var e in UserEvents[user])
        {
            sums[e.Item] = sums.GetValueOrDefault(e.Item) + e.Weight * Decay(e.Ticks, halfLifeDays);
        }
        return [.. sums.Where(kv => kv.Value > 0).Select(kv => (kv.Key, kv.Value)).OrderBy(kv => kv.Key)];
    }
}
