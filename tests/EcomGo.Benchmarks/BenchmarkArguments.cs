namespace EcomGo.Benchmarks;

/// <summary>"--name value" pairs; unknown names are an error so a typo does not silently run the defaults.</summary>
public sealed class BenchmarkArguments
{
    private readonly Dictionary<string, string> _values;

    private BenchmarkArguments(Dictionary<string, string> values) => _values = values;

    public static BenchmarkArguments Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"Expected '--name value' pairs, got '{args[i]}'.");
            }

            values[args[i][2..]] = args[i + 1];
        }

        return new BenchmarkArguments(values);
    }

    public int Int(string name, int defaultValue, int min, int max)
    {
        if (!_values.Remove(name, out var text))
        {
            return defaultValue;
        }

        return int.TryParse(text, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"--{name} must be a whole number from {min} to {max}, got '{text}'.");
    }

    public string? String(string name) => _values.Remove(name, out var text) ? text : null;

    /// <summary>Call after reading every option: anything left was not understood.</summary>
    public void RequireAllUsed()
    {
        if (_values.Count > 0)
        {
            throw new ArgumentException($"Unknown option(s): {string.Join(", ", _values.Keys.Select(k => "--" + k))}.");
        }
    }
}
