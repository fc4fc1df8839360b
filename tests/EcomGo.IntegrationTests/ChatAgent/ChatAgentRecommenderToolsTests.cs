using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using EcomGo.IntegrationTests.Infrastructure;
using EcomGo.IntegrationTests.Recommender;
using Xunit.Abstractions;

namespace EcomGo.IntegrationTests.ChatAgent;

/// <summary>
/// The assistant's tools that use the Recommender: "recommended for me" for the calling shopper only, and the
/// meaning-based matches the product search adds when keywords find little. The scripted model makes the calls; the
/// Recommender, its pgvector index and the catalog are real.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ChatAgentRecommenderToolsTests(AppFixture fixture, ITestOutputHelper output)
{
    private static readonly CultureInfo Us = CultureInfo.GetCultureInfo("en-US");

    [Fact]
    public async Task Recommended_for_me_gives_the_signed_in_callers_own_list_and_a_guest_is_asked_to_sign_in()
    {
        await RecommenderKit.WaitForIndexAsync(fixture);
        fixture.Ollama.Chat.WhenUserSays("zqr1 what would you recommend").ForModel(ChatAgentClient.ChatModel)
            // The model tries to name another shopper: the tool takes no shopper argument, so the caller's identity is used.
            .CallTool("recommendations_for_me", new { shopperKey = "user:someone-else" })
            .ThenReply(info => Listing(info.ToolResultValues.Single()));

        var shopper = "user:chat-recs-" + Guid.NewGuid().ToString("N")[..12];
        using var chat = await ChatAgentClient.ForShopperAsync(fixture, shopper);
        var turn = await chat.SendAsync("zqr1 what would you recommend for me?");
        output.WriteLine(turn.Describe());
        var completed = turn.RequireCompleted();

        Assert.Equal(["recommendations_for_me"], turn.ToolsFinished.Select(t => t.Name));
        Assert.Null(turn.ToolsFinished.Single().Error);
        Assert.NotEmpty(turn.Cards);
        Assert.True(completed.Grounding.Grounded, JsonSerializer.Serialize(completed.Grounding));

        // The products are the Recommender's list for this caller (a newcomer's list: popular products, each with a reason).
        using var recommender = await RecommenderKit.RecommenderClientAsync(fixture, shopper);
        var own = await recommender.GetFromJsonAsync<RecommendationListDto>($"/api/recommendations/shoppers/{shopper}?count=8");
        Assert.NotNull(own);
        var ownIds = own.Items.Select(i => i.ProductId).ToHashSet();
        Assert.All(turn.Cards, card => Assert.Contains(card.Id, ownIds));
        Assert.Contains(own.Items.First(i => turn.Cards.Any(c => c.Id == i.ProductId)).Reason, completed.Answer);

        // A guest has no personal list: the tool says so to the model, and the shopper gets an answer, not an error.
        fixture.Ollama.Chat.WhenUserSays("zqr2 recommend").ForModel(ChatAgentClient.ChatModel)
            .CallTool("recommendations_for_me", new { })
            .ThenReply(info => info.ToolResultValues.Single().Contains("not signed in", StringComparison.Ordinal)
                ? "Sign in and I can recommend products for you."
                : "UNEXPECTED: " + info.ToolResultValues.Single());
        using var guest = await ChatAgentClient.ForNewShopperAsync(fixture);
        var guestTurn = await guest.SendAsync("zqr2 recommend something for me");
        output.WriteLine(guestTurn.Describe());
        Assert.Contains("not signed in", guestTurn.ToolsFinished.Single().Error);
        Assert.Equal("Sign in and I can recommend products for you.", guestTurn.RequireCompleted().Answer);
        Assert.Empty(guestTurn.Cards);
    }

    [Fact]
    public async Task A_vague_request_that_keywords_miss_gets_products_close_in_meaning_and_nonsense_gets_none()
    {
        await RecommenderKit.WaitForIndexAsync(fixture);
        const string vague = "something warm to wear when camping in the mountains";
        const string nonsense = "qzxv plorth wibbix";
        string? vagueResult = null, nonsenseResult = null;
        fixture.Ollama.Chat.WhenUserSays("zqr3 vague").ForModel(ChatAgentClient.ChatModel)
            .CallTool("products_search", new { query = vague })
            .ThenReply(info => Listing(vagueResult = info.ToolResultValues.Single()));
        fixture.Ollama.Chat.WhenUserSays("zqr4 nonsense").ForModel(ChatAgentClient.ChatModel)
            .CallTool("products_search", new { query = nonsense })
            .ThenReply(info => Listing(nonsenseResult = info.ToolResultValues.Single()));

        using var chat = await ChatAgentClient.ForNewShopperAsync(fixture);
        var turn = await chat.SendAsync("zqr3 vague: I need " + vague);
        output.WriteLine(turn.Describe());
        turn.RequireCompleted();

        // Keyword search finds (almost) nothing for these words; the Recommender's semantic search fills in.
        using var json = JsonDocument.Parse(vagueResult!);
        Assert.True(json.RootElement.GetProperty("products").GetArrayLength() < 3, vagueResult);
        var byMeaning = json.RootElement.GetProperty("similarInMeaning").EnumerateArray().Select(p => p.GetProperty("id").GetInt32()).ToList();
        Assert.NotEmpty(byMeaning);
        using var recommender = await RecommenderKit.RecommenderClientAsync(fixture);
        var search = await recommender.GetFromJsonAsync<RecommendationListDto>($"/api/recommendations/search?q={Uri.EscapeDataString(vague)}&count=24");
        output.WriteLine(string.Join(", ", search!.Items.Select(i => $"{i.ProductId}:{i.Score:0.00}")));
        Assert.All(byMeaning, id => Assert.Contains(id, search.Items.Where(i => i.Score >= 0.35).Select(i => i.ProductId)));
        Assert.Contains(turn.Cards, c => byMeaning.Contains(c.Id));

        // Words that mean nothing find nothing: no "nearest of unrelated products" is offered.
        var nonsenseTurn = await chat.SendAsync("zqr4 nonsense: " + nonsense);
        output.WriteLine(nonsenseTurn.Describe());
        using var none = JsonDocument.Parse(nonsenseResult!);
        Assert.Equal(0, none.RootElement.GetProperty("products").GetArrayLength());
        Assert.False(none.RootElement.TryGetProperty("similarInMeaning", out _), nonsenseResult);
        Assert.Empty(nonsenseTurn.Cards);
    }

    /// <summary>What a model would write from the tool result: every product listed, linked, with its price and reason.</summary>
    private static string Listing(string toolResult)
    {
        using var json = JsonDocument.Parse(toolResult);
        var root = json.RootElement;
        IEnumerable<JsonElement> entries = root.TryGetProperty("recommendations", out var recs)
            ? recs.EnumerateArray().Select(r => r.GetProperty("product"))
            : root.GetProperty("products").EnumerateArray()
                .Concat(root.TryGetProperty("similarInMeaning", out var similar) ? similar.EnumerateArray() : []);
        var reasons = root.TryGetProperty("recommendations", out var withReasons)
            ? withReasons.EnumerateArray().Select(r => r.GetProperty("reason").GetString()).ToList()
            : [];
        var lines = entries.Select((p, i) =>
            $"- [{p.GetProperty("name").GetString()}]({p.GetProperty("url").GetString()}): {p.GetProperty("price").GetDecimal().ToString("C", Us)}" +
            (i < reasons.Count ? $" ({reasons[i]})" : "")).ToList();
        return lines.Count == 0 ? "The shop has nothing matching that." : string.Join("\n", lines);
    }
}
