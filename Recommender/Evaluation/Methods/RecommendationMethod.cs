using System.Globalization;

namespace EcomGo.Recommender.Evaluation.Methods;

/// <summary>Hyperparameter values of one method, printed as "name=value ...".</summary>
public sealed class Settings : SortedDictionary<string, double>
{
    public static Settings Of(params (string Name, double Value)[] values)
    {
        var settings = new Settings();
        foreach (var (name, value) in values) settings[name] = value;
        return settings;
    }

    public override string ToString() => Count == 0 ? "(none)" : string.Join(" ", this.Select(kv => $"{kv.Key}={Format(kv.Key, kv.Value)}"));

    private static string Format(string name, double value) =>
        double.IsPositiveInfinity(value) ? "none"
        : name.EndsWith("days", StringComparison.Ordinal) ? value.ToString("0.##", CultureInfo.InvariantCulture) + "d"
        : value.ToString("0.###", CultureInfo.InvariantCulture);
}

/// <summary>A fitted method: top-k items for a user.</summary>
public interface IRecommender
{
    /// <summary>The best <paramref name="k"/> items for <paramref name="user"/>, never one of <paramref name="excluded"/> (ascending item ids).</summary>
    int[] Recommend(int user, int k, int[] excluded);
}

/// <summary>One method of the comparison: a hyperparameter grid (tuned on the validation split) and a fit on a training set.</summary>
public abstract class RecommendationMethod
{
    public abstract string Name { get; }

    /// <summary>Candidate settings, simplest first (ties in tuning go to the earlier one).</summary>
    public virtual IEnumerable<Settings> Grid(TrainingSet train) => [new Settings()];

    public abstract IRecommender Fit(TrainingSet train, Settings settings);

    /// <summary>Half-lives to try, relative to the training span so the grid adapts to a day-long or a year-long log.</summary>
    protected static IEnumerable<double> HalfLives(TrainingSet train, params double[] fractionsOfSpan) =>
        fractionsOfSpan.Select(f => double.IsPositiveInfinity(f) ? f : Math.Round(train.SpanDays * f, 2));
}

/// <summary>A method that scores every item for a user; ranking, exclusion and tie-breaking (more popular first) are shared.</summary>
public abstract class DenseRecommender(TrainingSet train) : IRecommender
{
    protected TrainingSet Train { get; } = train;

    /// <summary>Fills <paramref name="scores"/> (zeroed, one per item); higher is better.</summary>
    protected abstract void Score(int user, float[] scores);

    public int[] Recommend(int user, int k, int[] excluded)
    {
        var scores = new float[Train.ItemCount];
        Score(user, scores);
        return TopK(scores, k, excluded, Train.PopularityOrder);
    }

    /// <summary>Top k by score; among equal scores the item earlier in <paramref name="tieOrder"/> wins.</summary>
    public static int[] TopK(float[] scores, int k, int[] excluded, int[] tieOrder)
    {
        foreach (var item in excluded) scores[item] = float.NaN;
        var best = new int[Math.Min(k, scores.Length)];
        var bestScores = new float[best.Length];
        var count = 0;
        foreach (var item in tieOrder)
        {
            var score = scores[item];
            if (float.IsNaN(score)) continue;
            if (count == best.Length && score <= bestScores[count - 1]) continue;
            var position = count == best.Length ? count - 1 : count++;
            while (position > 0 && bestScores[position - 1] < score)
            {
                best[position] = best[position - 1];
                bestScores[position] = bestScores[position - 1];
                position--;
            }
            best[position] = item;
            bestScores[position] = score;
        }
        return count == best.Length ? best : best[..count];
    }
}
