using System.Text.RegularExpressions;

namespace EcomGo.ReviewAnalyzer.Services;

/// <summary>
/// Spots review text that addresses an AI rather than a shopper ("ignore all previous instructions",
/// "system note to the assistant", "mark this review as positive"). Used only as a sanity signal; review text is
/// never executed either way.
/// </summary>
public static partial class PromptInjection
{
    public static bool LooksLikeInstructions(string text)
    {
        try
        {
            return InstructionPattern().IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            // A sanity signal must not make a review unprocessable: text that defeats the pattern counts as suspicious.
            return true;
        }
    }

    /// <summary>
    /// Makes untrusted text unable to open or close a delimiter block: every angle bracket becomes a look-alike
    /// (‹ ›), so no variant of a tag (<c>&lt; /review&gt;</c>, <c>&lt;/review x&gt;</c>, <c>&lt;/reviews&gt;</c>) survives.
    /// </summary>
    public static string Defang(string text) => text.Replace('<', '‹').Replace('>', '›');

    [GeneratedRegex(
        @"\b(ignore|disregard|forget|override)\b.{0,40}\b(instruction|prompt|rule|previous|above)s?\b" +
        @"|\b(system|developer)\s*(note|prompt|message|instruction)s?\b" +
        @"|\byou are now\b|\badmin mode\b" +
        @"|\b(mark|classify|label|rate|tag)\b.{0,30}\b(review|this)\b.{0,20}\b(as )?(positive|negative|neutral|5 stars|five stars)\b" +
        @"|\[\s*(assistant|system|ai)\s*:" +
        @"|\b(assistant|ai|model|llm)\s*[:,]\s*(please\s+)?(recommend|ignore|reveal|apply|mark|say|output|respond)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline, matchTimeoutMilliseconds: 200)]
    private static partial Regex InstructionPattern();
}
