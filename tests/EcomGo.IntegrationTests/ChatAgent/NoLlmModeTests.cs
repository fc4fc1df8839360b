using System.Threading.Channels;
using EcomGo.ChatAgent.Services;
using EcomGo.ChatAgent.Tools;
using EcomGo.IntegrationTests.Infrastructure;
using EcomGo.ServiceDefaults.Contracts;
using Xunit.Abstractions;
using StorefrontTests = EcomGo.IntegrationTests.Storefront;

namespace EcomGo.IntegrationTests.ChatAgent;

/// <summary>
/// The assistant's no-LLM responder (what the ChatAgent runs when no chat model is configured) against the real
/// Storefront API of the running app: it must answer from the catalog, with real products, and say it is offline.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class NoLlmModeTests(AppFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Without_a_model_the_shoppers_words_are_searched_and_answered_with_real_products_and_an_offline_notice()
    {
        using var http = fixture.CreateHttpClient("storefront");
        var catalog = new StorefrontCatalogClient(http);
        var manufacturers = await catalog.GetManufacturersAsync(null, CancellationToken.None);
        var brand = manufacturers.Single(m => m.Name == "Stridewell");

        var (events, turn) = NewTurn();
        using var recommenderHttp = await fixture.CreateServiceClientAsync("recommender");
        await new NoLlmResponder(catalog, new RecommenderClient(recommenderHttp), turn.Evidence, new ChatAgentOptions(), manufacturers)
            .RespondAsync("Do you have any Stridewell running shoes under $150?", turn, CancellationToken.None);
        turn.Release(turn.Guard.Flush());
        events.Writer.Complete();
        var all = new List<ChatStreamEvent>();
        await foreach (var e in events.Reader.ReadAllAsync())
        {
            all.Add(e);
        }

        var answer = turn.Answer.ToString();
        output.WriteLine(answer);
        Assert.StartsWith(NoLlmResponder.OfflineNotice, answer);
        Assert.Contains(all, e => e.Name == ChatEventNames.ToolFinished && ((ChatToolEvent)e.Payload).Name == ToolNames.SearchProducts);
        Assert.Contains("United Kingdom", answer); // from the manufacturer search

        // Every card is a real Stridewell product under $150, at its real price, and appears in the answer.
        Assert.NotEmpty(turn.Cards);
        using var shop = new StorefrontTests.StorefrontClient(fixture);
        foreach (var card in turn.Cards)
        {
            var real = (await shop.GetAsync<StorefrontTests.ProductDetails>($"/api/catalog/products/{card.Id}")).Summary;
            Assert.Equal(brand.Id, real.ManufacturerId);
            Assert.True(real.Price.Price <= 150m, $"{real.Name} costs {real.Price.Price}");
            Assert.Equal(real.Price.ListPrice, card.Price);
            Assert.Contains($"[{real.Name}](/products/{real.Id})", answer);
        }

        var grounding = GroundingChecker.Check(answer, turn.Evidence, manufacturers.Select(m => m.Name).ToArray());
        Assert.True(grounding.Grounded, System.Text.Json.JsonSerializer.Serialize(grounding));
    }

    [Fact]
    public async Task Without_a_model_a_question_with_no_match_says_so_plainly()
    {
        using var http = fixture.CreateHttpClient("storefront");
        var catalog = new StorefrontCatalogClient(http);
        var (_, turn) = NewTurn();
        using var recommenderHttp = await fixture.CreateServiceClientAsync("recommender");
        await new NoLlmResponder(catalog, new RecommenderClient(recommenderHttp), turn.Evidence, new ChatAgentOptions(), []).RespondAsync("xylophonequux zzyzx", turn, CancellationToken.None);
        turn.Release(turn.Guard.Flush());
        Assert.Contains("found no products", turn.Answer.ToString());
        Assert.Empty(turn.Cards);
    }

    [Fact]
    public void The_grounding_check_flags_prices_and_products_no_tool_returned()
    {
        var evidence = new TurnEvidence();
        evidence.AddProducts([new ProductSummary(7, "Trail Shoe", 1, "Running Shoes", 2, "Stridewell", new PriceInfo(120m, 99.5m, 20.5m, "-17%", null), 3, 4.5, 10, "/images/products/7.svg")]);
        var grounded = GroundingChecker.Check("[Trail Shoe](/products/7) by Stridewell costs $99.50 (was $120.00).", evidence, ["Stridewell", "Lenovo"]);
        Assert.True(grounded.Grounded);

        var invented = GroundingChecker.Check("[Trail Shoe](/products/7) costs $89.99; try [X](/products/8) from Lenovo.", evidence, ["Stridewell", "Lenovo"]);
        Assert.False(invented.Grounded);
        Assert.Equal([89.99m], invented.UnbackedPrices);
        Assert.Equal([8], invented.UnbackedProductIds);
        Assert.Equal(["Lenovo"], invented.UnbackedManufacturers);
    }

    private static (Channel<ChatStreamEvent> Events, ChatTurnService.TurnState Turn) NewTurn()
    {
        var events = Channel.CreateUnbounded<ChatStreamEvent>();
        return (events, new ChatTurnService.TurnState(events.Writer));
    }
}
