using EcomGo.ReviewAnalyzer.Services;

namespace EcomGo.IntegrationTests.ReviewAnalyzer;

/// <summary>Aspects without an LLM: the aspect words of each clause, with the clause's opinion (negation flips it).</summary>
public sealed class LocalAspectExtractorTests
{
    [Theory]
    [InlineData("Love the sound, but the battery died after two days.", "sound: positive|battery: negative")]
    [InlineData("Delivery was late and the box arrived damaged. The fit is perfect though.", "delivery: negative|packaging: negative|fit: positive")]
    [InlineData("The screen is not bright enough; setup was easy.", "screen: negative|setup: positive|ease of use: positive")]
    [InlineData("Flimsy build. Great price.", "build quality: negative|price: positive")]
    [InlineData("It is a kettle.", "")]
    public void Finds_aspects_with_the_opinion_of_their_clause(string text, string expected) =>
        Assert.Equal(expected, string.Join('|', LocalAspectExtractor.Extract(text).Select(a => a.ToString())));
}
