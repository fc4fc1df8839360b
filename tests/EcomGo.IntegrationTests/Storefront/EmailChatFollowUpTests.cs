using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using EcomGo.IntegrationTests.ChatAgent;
using EcomGo.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace EcomGo.IntegrationTests.Storefront;

/// <summary>
/// The loop from a chat to an email: a signed-in shopper asks the assistant (the scripted Ollama test server plays the
/// model, the tools are real) about running shoes; the conversation goes quiet, the ChatAgent announces its end, the
/// Recommender folds the shoes into the profile and the Storefront sends one follow-up with them.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class EmailChatFollowUpTests(AppFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_finished_conversation_about_running_shoes_brings_one_follow_up_email_with_those_shoes()
    {
        var address = EmailKit.UniqueAddress("runner");
        using var shopper = await EmailKit.RegisterAsync(fixture, address, "Rhea Runner");
        await EmailKit.SetOptInAsync(shopper, true);

        fixture.Ollama.Chat.WhenUserSays("zqm1 running shoes").ForModel(ChatAgentClient.ChatModel)
            .CallTool("products_search", new { query = "running shoes" })
            .ThenReply(info => ChatAgentTests.AnswerListing(info.ToolResultValues.Single()));

        // Through the shop's own chat panel API, signed in: the Storefront names the shopper to the ChatAgent.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat") { Content = JsonContent.Create(new { message = "zqm1 running shoes for my first marathon?" }) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await shopper.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var turn = await ChatAgentClient.ReadAsync(await response.Content.ReadAsStreamAsync());
        output.WriteLine(turn.Describe());
        turn.RequireCompleted();
        var shoes = turn.Cards.Select(c => c.Id).Take(6).ToList();
        Assert.NotEmpty(shoes);

        // The conversation goes quiet (the test AppHost treats 4 s as the end) and the follow-up arrives.
        using var inbox = new MailCatcher(fixture);
        var email = await inbox.WaitForAsync(address, EmailKit.FollowUpSubject, TimeSpan.FromMinutes(2));
        output.WriteLine(email.TextBody);
        var linked = EmailKit.ProductLinks(email).Select(l => l.ProductId).ToList();
        Assert.Contains(shoes[0], linked);
        Assert.All(linked.Take(Math.Min(shoes.Count, 6)), id => Assert.Contains(id, shoes)); // the discussed shoes come first
        foreach (var card in turn.Cards.Take(3))
        {
            Assert.Contains(card.Name, email.TextBody);
        }

        // The Recommender folded the discussed shoes into the shopper's history.
        await using var db = await Db.OpenAsync(fixture);
        Assert.True(await db.ScalarAsync("""SELECT COUNT(*) FROM recs."Interactions" WHERE "ShopperKey" = $1 AND "Kind" = 'chat'""", $"user:{shopper.UserId}") > 0);

        // One email per conversation, however often its end is seen.
        await Task.Delay(TimeSpan.FromSeconds(8));
        Assert.Single(await inbox.ListAsync(address), m => m.Subject == EmailKit.FollowUpSubject);
    }
}
