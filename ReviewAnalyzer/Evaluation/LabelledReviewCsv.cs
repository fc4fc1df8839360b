using System.Globalization;
using CsvHelper;
using EcomGo.ReviewAnalyzer.Data;
using EcomGo.ReviewAnalyzer.Services;

namespace EcomGo.ReviewAnalyzer.Evaluation;

/// <summary>One review with its true label. <see cref="Rating"/> is 0 when the file has none.</summary>
/// <summary><see cref="Group"/> (optional <c>group</c> column) keeps related rows, e.g. one product's reviews, on one side of a train/test split.</summary>
public sealed record LabelledReview(int Line, string Title, string Text, int Rating, SentimentLabel Label, string Group = "")
{
    public string FullText => new ReviewInput(0, 0, Rating, Title, Text).FullText;
}

/// <summary>A row that could not be used, and why.</summary>
public sealed record MalformedRow(int Line, string Reason);

public sealed record LabelledReviewSet(IReadOnlyList<LabelledReview> Reviews, IReadOnlyList<MalformedRow> Malformed, bool HasRatings, bool HasLabels);

/// <summary>A file that cannot be evaluated at all (missing, or without the needed columns).</summary>
public sealed class EvaluationInputException(string message) : Exception(message);

/// <summary>
/// Reads an RFC 4180 CSV with a header row: <c>text</c> and at least one of <c>label</c> (positive|neutral|negative)
/// or <c>rating</c> (1-2 negative, 3 neutral, 4-5 positive), optionally <c>title</c>; other columns are ignored and
/// header names are case-insensitive. When both label and rating are present the label is the truth and the rating
/// feeds the star prior. A row that is unusable (wrong field count, empty text, unknown label, rating outside 1-5,
/// broken quoting) is counted as malformed and skipped.
/// </summary>
public static class LabelledReviewCsv
{
    public static LabelledReviewSet Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new EvaluationInputException($"Input file '{path}' does not exist (looked in {Path.GetFullPath(path)}).");
        }

        // Bad quoting and wrong field counts are skipped by the reader and reported here, so one bad row never stops a run.
        var malformed = new List<MalformedRow>();
        var options = CsvReaderOptions.Default with
        {
            Separator = ',',
            Mode = CsvMode.Rfc4180,
            MalformedData = CsvMalformedDataHandling.Skip,
            FieldCountMismatch = CsvFieldCountHandling.Skip,
            TrackLineNumbers = true,
            OnMalformedRecord = bad => malformed.Add(new MalformedRow((int)bad.LineNumber, bad.Reason.ToString())),
        };

        using var csv = CsvReader.FromFile(path, options);
        var header = csv.Headers.ToArray();
        if (header.Length == 0)
        {
            throw new EvaluationInputException("The input has no header row; expected columns text and label and/or rating (optionally title).");
        }

        var columns = header.Select(h => h.Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToArray();
        var textColumn = Array.IndexOf(columns, "text");
        var labelColumn = Array.IndexOf(columns, "label");
        var ratingColumn = Array.IndexOf(columns, "rating");
        var titleColumn = Array.IndexOf(columns, "title");
        var groupColumn = Array.IndexOf(columns, "group");
        if (textColumn < 0)
        {
            throw new EvaluationInputException($"The input has no 'text' column (header: {string.Join(",", header)}).");
        }

        if (labelColumn < 0 && ratingColumn < 0)
        {
            throw new EvaluationInputException($"The input has neither a 'label' nor a 'rating' column (header: {string.Join(",", header)}).");
        }

        var reviews = new List<LabelledReview>();
        var fields = new string[header.Length];
        while (csv.Read())
        {
            var line = (int)csv.LineNumber;
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = csv.GetString(i) ?? "";
            }

            var text = fields[textColumn].Trim();
            if (text.Length == 0)
            {
                malformed.Add(new MalformedRow(line, "empty text"));
                continue;
            }

            var rating = 0;
            if (ratingColumn >= 0 && !(int.TryParse(fields[ratingColumn].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out rating) && rating is >= 1 and <= 5))
            {
                malformed.Add(new MalformedRow(line, $"rating '{Truncate(fields[ratingColumn])}' is not 1-5"));
                continue;
            }

            SentimentLabel label;
            if (labelColumn >= 0)
            {
                if (!SentimentLabels.TryParse(fields[labelColumn], out label))
                {
                    malformed.Add(new MalformedRow(line, $"label '{Truncate(fields[labelColumn])}' is not positive, neutral or negative"));
                    continue;
                }
            }
            else
            {
                label = LabelOfRating(rating);
            }

            var title = titleColumn >= 0 ? fields[titleColumn].Trim() : "";
            var group = groupColumn >= 0 ? fields[groupColumn].Trim() : "";
            reviews.Add(new LabelledReview(line, title, text, rating, label, group));
        }

        malformed.Sort((a, b) => a.Line.CompareTo(b.Line));
        return new LabelledReviewSet(reviews, malformed, ratingColumn >= 0, labelColumn >= 0);
    }

    /// <summary>1-2 stars negative, 3 neutral, 4-5 positive.</summary>
    public static SentimentLabel LabelOfRating(int rating) => rating switch
    {
        <= 2 => SentimentLabel.Negative,
        3 => SentimentLabel.Neutral,
        _ => SentimentLabel.Positive,
    };

    private static string Truncate(string value) => value.Length <= 20 ? value : value[..20] + "…";
}
