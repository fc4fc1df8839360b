namespace EcomGo.Recommender.Evaluation;

/// <summary>
/// What counts as relevant and what may be recommended:
/// <list type="bullet">
/// <item><c>new-items</c>: relevant = the user's items first interacted with after the cut-off; the user's training items are excluded from the list.</item>
/// <item><c>with-repeats</c>: relevant = every item the user interacted with after the cut-off; nothing is excluded.</item>
/// </list>
/// </summary>
public sealed record Protocol(string Name, bool ExcludeTrainingItems)
{
    public static readonly Protocol NewItems = new("new-items", true);
    public static readonly Protocol WithRepeats = new("with-repeats", false);
    public static readonly IReadOnlyList<Protocol> All = [NewItems, WithRepeats];

    /// <summary>The evaluated users and their relevant items under this protocol (users left with no relevant item are skipped).</summary>
    public EvaluationTarget Target(TemporalSplit split, int maxUsers = int.MaxValue)
    {
        var users = new List<int>();
        var relevant = new List<HashSet<int>>();
        foreach (var (user, items) in split.TestItems.OrderBy(kv => kv.Key))
        {
            var set = ExcludeTrainingItems
                ? items.Where(i => Array.BinarySearch(split.Train.UserItems[user], i) < 0).ToHashSet()
                : items;
            if (set.Count == 0) continue;
            users.Add(user);
            relevant.Add(set);
        }

        if (users.Count > maxUsers)
        {
            // A fixed, spread-out sample keeps tuning fast on big logs without favouring early or late user ids.
            var step = (double)users.Count / maxUsers;
            var picked = Enumerable.Range(0, maxUsers).Select(i => (int)(i * step)).ToArray();
            users = [.. picked.Select(i => users[i])];
            relevant = [.. picked.Select(i => relevant[i])];
        }
        return new EvaluationTarget(this, split, users, relevant);
    }
}

/// <summary>The users to evaluate under one protocol and split, with their relevant items.</summary>
public sealed record EvaluationTarget(Protocol Protocol, TemporalSplit Split, IReadOnlyList<int> Users, IReadOnlyList<HashSet<int>> Relevant);
