using System.Globalization;
using System.Text;

namespace EcomGo.Storefront.Components.Shared;

/// <summary>
/// Lenient readers for query-string values. Pages take query values as strings and parse them here, because a typed
/// <c>[SupplyParameterFromQuery]</c> (int, bool) throws on a value it cannot parse, which turns "?page=abc" into a 500.
/// </summary>
public static class QueryText
{
    /// <summary>Longest search text passed on to the catalog; the search inputs use it as their maxlength too.</summary>
    public const int MaxSearchLength = 200;

    /// <summary>Trimmed search text without control characters (PostgreSQL rejects NUL), at most <see cref="MaxSearchLength"/> characters; null when empty.</summary>
    public static string? Search(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var clean = new StringBuilder(Math.Min(text.Length, MaxSearchLength));
        foreach (var c in text)
        {
            clean.Append(char.IsControl(c) ? ' ' : c);
        }

        var result = clean.ToString().Trim();
        if (result.Length > MaxSearchLength)
        {
            result = result[..MaxSearchLength];
            if (char.IsHighSurrogate(result[^1]))
            {
                result = result[..^1]; // never cut a surrogate pair in half
            }

            result = result.TrimEnd();
        }

        return result.Length == 0 ? null : result;
    }

    public static int? Int(string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>"true" (any case), "on" (an unchecked-value checkbox) or "1".</summary>
    public static bool Flag(string? text) =>
        string.Equals(text, "true", StringComparison.OrdinalIgnoreCase) || text is "on" or "1";
}
