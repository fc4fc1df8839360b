using System.Globalization;
using CsvHelper;
using System.Text;

namespace EcomGo.Recommender.Evaluation;

/// <summary>A file or column problem that makes evaluation impossible (exit code 2).</summary>
public sealed class EvaluationInputException(string message) : Exception(message);

/// <summary>What was skipped while reading, so the report can say it.</summary>
public sealed record ReadSummary(
    int ItemRows, int MalformedItemRows, int DuplicateItemRows,
    int InteractionRows, int MalformedInteractionRows, int UnknownItemInteractions,
    IReadOnlyList<string> MalformedExamples);

/// <summary>
/// Reads the catalog (<c>item_id,title,description[,category][,brand]</c>) and the log
/// (<c>user_id,item_id,timestamp[,event][,rating]</c>): RFC 4180 CSV with a header, columns found by name
/// (case-insensitive, any order, extra columns ignored). A bad row (wrong field count, stray quote, empty id,
/// unreadable time or rating) is counted and skipped; a missing file or required column throws
/// <see cref="EvaluationInputException"/>. Items that appear only in the log are added with empty text.
/// </summary>
public static class CsvLogReader
{
    private const int MaxExamples = 5;

    public static (InteractionLog Log, ReadSummary Summary) Read(string itemsPath, string interactionsPath)
    {
        var examples = new List<string>();
        var itemIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var itemIds = new List<string>();
        var itemTexts = new List<string>();
        int itemRows = 0, badItems = 0, duplicateItems = 0;

        ReadRows(itemsPath, ["item_id", "title", "description"], ["category", "brand"], (fields, col, line) =>
        {
            itemRows++;
            var id = fields[col["item_id"]].Trim();
            if (id.Length == 0)
            {
                badItems++;
                Note(examples, $"{Path.GetFileName(itemsPath)} line {line}: empty item_id");
                return;
            }
            if (!itemIndex.TryAdd(id, itemIds.Count))
            {
                duplicateItems++;
                return;
            }
            itemIds.Add(id);
            itemTexts.Add(ItemText(fields, col));
        }, () => { itemRows++; badItems++; }, examples);

        var userIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var userIds = new List<string>();
        var interactions = new List<Interaction>();
        int rows = 0, badRows = 0, unknownItems = 0;

        ReadRows(interactionsPath, ["user_id", "item_id", "timestamp"], ["event", "rating"], (fields, col, line) =>
        {
            rows++;
            var user = fields[col["user_id"]].Trim();
            var item = fields[col["item_id"]].Trim();
            var time = fields[col["timestamp"]].Trim();
            if (user.Length == 0 || item.Length == 0 || !TryParseTime(time, out var ticks))
            {
                badRows++;
                Note(examples, $"{Path.GetFileName(interactionsPath)} line {line}: empty id or unreadable timestamp '{time}'");
                return;
            }

            double? rating = null;
            if (col.TryGetValue("rating", out var ratingColumn) && fields[ratingColumn].Trim() is { Length: > 0 } ratingText)
            {
                if (!double.TryParse(ratingText, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) || !double.IsFinite(r))
                {
                    badRows++;
                    Note(examples, $"{Path.GetFileName(interactionsPath)} line {line}: unreadable rating '{ratingText}'");
                    return;
                }
                rating = r;
            }
            var eventName = col.TryGetValue("event", out var eventColumn) ? fields[eventColumn] : null;

            if (!itemIndex.TryGetValue(item, out var itemId))
            {
                unknownItems++;
                itemId = itemIds.Count;
                itemIndex.Add(item, itemId);
                itemIds.Add(item);
                itemTexts.Add(string.Empty);
            }
            if (!userIndex.TryGetValue(user, out var userId))
            {
                userId = userIds.Count;
                userIndex.Add(user, userId);
                userIds.Add(user);
            }
            interactions.Add(new Interaction(userId, itemId, ticks, EventWeights.For(eventName, rating)));
        }, () => { rows++; badRows++; }, examples);

        // Stable sort keeps file order among equal timestamps.
        var ordered = interactions.OrderBy(i => i.Ticks).ToArray();
        var log = new InteractionLog { ItemIds = itemIds, ItemTexts = itemTexts, UserIds = userIds, Interactions = ordered };
        return (log, new ReadSummary(itemRows, badItems, duplicateItems, rows, badRows, unknownItems, examples));
    }

    /// <summary>ISO 8601 / "yyyy-MM-dd HH:mm:ss" (UTC unless an offset is given) or Unix seconds (milliseconds if that large).</summary>
    public static bool TryParseTime(string text, out long ticks)
    {
        ticks = 0;
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var unix))
        {
            var ms = Math.Abs(unix) >= 100_000_000_000 ? unix : unix * 1000;
            if (ms < -62_135_596_800_000 || ms > 253_402_300_799_000) return false;
            ticks = DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcTicks;
            return true;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var time))
        {
            ticks = time.UtcTicks;
            return true;
        }
        return false;
    }

    private static string ItemText(string[] fields, Dictionary<string, int> col)
    {
        var title = fields[col["title"]].Trim();
        var description = fields[col["description"]].Trim();
        var parts = new List<string> { title };
        // Real logs often repeat the title as the description: embed it once.
        if (description.Length > 0 && !string.Equals(description, title, StringComparison.OrdinalIgnoreCase)) parts.Add(description);
        if (col.TryGetValue("category", out var c) && fields[c].Trim() is { Length: > 0 } category) parts.Add($"Category: {category}");
        if (col.TryGetValue("brand", out var b) && fields[b].Trim() is { Length: > 0 } brand) parts.Add($"Brand: {brand}");
        return string.Join(". ", parts);
    }

    private static void ReadRows(string path, string[] required, string[] optional,
        Action<string[], Dictionary<string, int>, long> onRow, Action onMalformed, List<string> examples)
    {
        if (!File.Exists(path))
        {
            throw new EvaluationInputException($"File not found: {path}");
        }

        // Bad quoting and wrong field counts are skipped by the reader and reported here, so one bad row never stops a run.
        var options = CsvReaderOptions.Default with
        {
            Separator = ',',
            Mode = CsvMode.Rfc4180,
            MalformedData = CsvMalformedDataHandling.Skip,
            FieldCountMismatch = CsvFieldCountHandling.Skip,
            TrackLineNumbers = true,
            OnMalformedRecord = bad =>
            {
                onMalformed();
                Note(examples, $"{Path.GetFileName(path)} line {bad.LineNumber}: {bad.Reason}");
            },
        };

        try
        {
            using var reader = CsvReader.FromFile(path, options);
            var header = reader.Headers.ToArray();
            if (header.Length == 0)
            {
                throw new EvaluationInputException($"{path} is empty: expected a header row with columns {string.Join(",", required)}.");
            }

            var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < header.Length; i++) columns.TryAdd(header[i].Trim().TrimStart('\uFEFF'), i);
            var missing = required.Where(c => !columns.ContainsKey(c)).ToList();
            if (missing.Count > 0)
            {
                throw new EvaluationInputException(
                    $"{path} has no column {string.Join(", ", missing)} (header: {string.Join(",", header)}; expected {string.Join(",", required)}" +
                    $"{(optional.Length > 0 ? $"[,{string.Join("][,", optional)}]" : "")}).");
            }
            var wanted = required.Concat(optional).Where(columns.ContainsKey).ToDictionary(c => c, c => columns[c], StringComparer.OrdinalIgnoreCase);

            var fields = new string[header.Length];
            while (reader.Read())
            {
                for (var i = 0; i < fields.Length; i++) fields[i] = reader.GetString(i) ?? string.Empty;
                onRow(fields, wanted, reader.LineNumber);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            throw new EvaluationInputException($"Cannot read {path}: {e.Message}");
        }
    }

    private static void Note(List<string> examples, string message)
    {
        if (examples.Count < MaxExamples) examples.Add(message);
    }
}
