using EcomGo.ReviewAnalyzer.Services;

namespace EcomGo.IntegrationTests.ReviewAnalyzer;

/// <summary>The VADER lexicon scorer that feeds the local classifier: the published lexicon loads, and the rules work.</summary>
public sealed class SentimentLexiconTests
{
    private static readonly SentimentLexicon s_lexicon = SentimentLexicon.LoadVader();

    [Fact]
    public void The_published_lexicon_is_shipped_whole() => Assert.InRange(s_lexicon.Count, 7_400, 7_600);

    [Fact]
    public void Negation_flips_and_softens()
    {
        var bad = s_lexicon.Score("It is bad.").Compound;
        var notBad = s_lexicon.Score("It is not bad.").Compound;
        var notGood = s_lexicon.Score("It isn't good.").Compound;
        Assert.True(bad < -0.3, $"'bad' scored {bad}");
        Assert.True(notBad > 0, $"'not bad' scored {notBad}");
        Assert.True(notBad < -bad, "'not bad' must be weaker praise than 'bad' is criticism");
        Assert.True(notGood < 0, $"'isn't good' scored {notGood}");
    }

    [Fact]
    public void After_a_contrast_word_the_verdict_counts_more()
    {
        var score = s_lexicon.Score("I love the colour but the quality is terrible.").Compound;
        Assert.True(score < 0, $"praise then 'but' + criticism scored {score}");
        var reversed = s_lexicon.Score("The quality is terrible but I love the colour.").Compound;
        Assert.True(reversed > 0, $"criticism then 'but' + praise scored {reversed}");
    }

    [Fact]
    public void Boosters_and_capitals_strengthen()
    {
        var good = s_lexicon.Score("The sound is good.").Compound;
        Assert.True(s_lexicon.Score("The sound is very good.").Compound > good);
        Assert.True(s_lexicon.Score("The sound is GOOD.").Compound > good);
        Assert.True(s_lexicon.Score("The sound is slightly good.").Compound < good);
    }

    [Theory]
    [InlineData("I'd give it 3 stars.", 3.0)]
    [InlineData("Two stars, sadly", 2.0)]
    [InlineData("solid 4/5", 4.0)]
    [InlineData("Four and a half stars from me", 4.5)]
    [InlineData("1 out of 5", 1.0)]
    public void A_star_count_in_the_text_is_read(string text, double stars) =>
        Assert.Equal(stars, SentimentFeatures.MentionedStars(text));

    [Fact]
    public void Text_without_a_star_count_has_none() =>
        Assert.Null(SentimentFeatures.MentionedStars("The 5 pack of batteries lasted 3 weeks."));
}
