using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EcomGo.IntegrationTests.Infrastructure;
using EcomGo.IntegrationTests.Storefront;
using EcomGo.ServiceDefaults.Contracts;
using Xunit.Abstractions;

namespace EcomGo.IntegrationTests.ChatAgent;

/// <summary>The chat panel's API on the Storefront: anti-forgery, the shopper's identity from the session, safe HTML.</summary>
[Collection(AppCollection.Name)]
public sealed class StorefrontChatApiTests(AppFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task The_storefront_relays_the_stream_with_safe_html_for_the_sessions_shopper_only()
    {
        fixture.Ollama.Chat.WhenUserSays("zqc1 hello").ForModel(ChatAgentClient.ChatModel)
            .Reply("**Welcome!** <script>alert(1)</script> [our deals](/catalog?promo=true) and [elsewhere](javascript:alert(2)).");

        using var shopper = new StorefrontClient(fixture);
        using var forged = new StorefrontClient(fixture, withCsrfHeader: false);
        Assert.Equal(HttpStatusCode.Forbidden, (await forged.Http.PostAsJsonAsync("/api/chat", new ChatRequest("zqc1 hello"))).StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat") { Content = JsonContent.Create(new { message = "zqc1 hello", shopperKey = "user:someone-else" }) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await shopper.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var turn = await ChatAgentClient.ReadAsync(await response.Content.ReadAsStreamAsync());
        output.WriteLine(turn.Describe());
        turn.RequireCompleted();

        var html = turn.Events.Last(e => e.Name == ChatEventNames.Html).Data.Deserialize<ChatHtmlEvent>(JsonSerializerOptions.Web)!.Html;
        output.WriteLine(html);
        Assert.Contains("<strong>Welcome!</strong>", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.DoesNotContain("<script", html);
        Assert.Contains("<a href=\"/catalog?promo=true\">our deals</a>", html);
        Assert.DoesNotContain("javascript:", html);

        // The conversation belongs to this browser session: listed here, invisible to another session.
        var id = turn.Conversation.ConversationId;
        var mine = await shopper.GetAsync<List<ChatConversationSummary>>("/api/chat/conversations");
        Assert.Contains(mine, c => c.Id == id);
        using var stranger = new StorefrontClient(fixture);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Http.GetAsync($"/api/chat/conversations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Http.DeleteAsync($"/api/chat/conversations/{id}")).StatusCode);
        var transcript = await shopper.Http.GetStringAsync($"/api/chat/conversations/{id}");
        Assert.Contains("&lt;script&gt;", transcript.Replace("\\u0026", "&").Replace("\\u003C", "<").Replace("\\u003E", ">"));

        // Limits come back as the ChatAgent's problem text.
        var tooLong = await shopper.Http.PostAsJsonAsync("/api/chat", new ChatRequest(new string('y', 1200)));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("at most 1000", await tooLong.Content.ReadAsStringAsync());
    }
}
