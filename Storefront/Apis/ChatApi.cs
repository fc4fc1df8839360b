using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using EcomGo.ServiceDefaults.Contracts;
using EcomGo.ServiceDefaults.Security;
using EcomGo.Storefront.Services;
using Microsoft.AspNetCore.Http.Features;

namespace EcomGo.Storefront.Apis;

/// <summary>
/// The chat panel's API: the Storefront is the only caller the ChatAgent accepts, so it passes the shopper's key (from
/// the sign-in or the session cookie, never from the request body) and relays the turn's Server-Sent Events as they come,
/// adding an "html" event with the answer so far rendered to safe HTML. POST/DELETE carry the anti-forgery header rule.
/// </summary>
public static class ChatApi
{
    private const string Unavailable = "The shopping assistant is not available right now. You can still search the catalog.";

    public sealed record ChatTranscriptMessage(string Role, string Html, IReadOnlyList<ChatProductCard> Products);

    public sealed record ChatTranscript(Guid Id, string Title, IReadOnlyList<ChatTranscriptMessage> Messages);

    public static IEndpointRouteBuilder MapChatApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/chat").WithTags("Chat").WithApiConventions();
        api.MapPost("/", PostAsync).WithName("Chat").WithSummary("Ask the shopping assistant; answers with Server-Sent Events");
        api.MapGet("/conversations", ListAsync).WithName("ChatConversations");
        api.MapGet("/conversations/{id:guid}", GetAsync).WithName("ChatConversation");
        api.MapDelete("/conversations/{id:guid}", DeleteAsync).WithName("DeleteChatConversation");
        return app;
    }

    public static string ShopperKey(ShopperIdentity shopper) =>
        shopper.UserId is { } userId ? $"user:{userId}" : $"session:{shopper.SessionId}";

    private static HttpRequestMessage ToAgent(HttpMethod method, string path, HttpContext http, IShopperContext shoppers)
    {
        var request = new HttpRequestMessage(method, path);
        request.SetShopperKey(ShopperKey(shoppers.GetShopper(http)));
        return request;
    }

    private static async Task PostAsync(ChatRequest? body, HttpContext http, IShopperContext shoppers, IHttpClientFactory clients, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(ChatApi));
        var ct = http.RequestAborted;
        using var request = ToAgent(HttpMethod.Post, "/api/chat", http, shoppers);
        request.Content = JsonContent.Create(new ChatRequest(body?.Message, body?.ConversationId));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));

        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(Extensions.UiExtensions.ChatAgentClient).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Shopping assistant unreachable: {Error}", e.Message);
            await StartStreamAsync(http);
            await WriteEventAsync(http, ChatEventNames.Error, new ChatErrorEvent(ChatErrorCodes.ModelUnavailable, Unavailable));
            return;
        }

        using (response)
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                // 400 (message too long), 404 (not your conversation), 429 (slow down): the shopper's problem text, as is.
                http.Response.StatusCode = (int)response.StatusCode is >= 400 and < 500 ? (int)response.StatusCode : StatusCodes.Status502BadGateway;
                if (response.Headers.RetryAfter is { } retryAfter)
                {
                    http.Response.Headers.RetryAfter = retryAfter.ToString();
                }

                http.Response.ContentType = "application/problem+json";
                await response.Content.CopyToAsync(http.Response.Body, ct);
                return;
            }

            await StartStreamAsync(http);
            var answer = new StringBuilder();
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            try
            {
                await foreach (var item in SseParser.Create(stream).EnumerateAsync(ct))
                {
                    await WriteRawAsync(http, item.EventType, item.Data);
                    if (item.EventType == ChatEventNames.Delta && JsonSerializer.Deserialize<ChatDeltaEvent>(item.Data, JsonSerializerOptions.Web) is { } delta)
                    {
                        answer.Append(delta.Text);
                        await WriteEventAsync(http, ChatEventNames.Html, new ChatHtmlEvent(ChatMarkdown.ToSafeHtml(answer.ToString())));
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !ct.IsCancellationRequested)
            {
                logger.LogWarning("Shopping assistant stream broke: {Error}", e.Message);
                await WriteEventAsync(http, ChatEventNames.Error, new ChatErrorEvent(ChatErrorCodes.ModelUnavailable, Unavailable));
            }
        }
    }

    private static async Task StartStreamAsync(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await http.Response.StartAsync(http.RequestAborted);
    }

    private static Task WriteEventAsync<T>(HttpContext http, string name, T payload) =>
        WriteRawAsync(http, name, JsonSerializer.Serialize(payload, JsonSerializerOptions.Web));

    private static async Task WriteRawAsync(HttpContext http, string name, string data)
    {
        var text = new StringBuilder().Append("event: ").Append(name).Append('\n');
        foreach (var line in data.Split('\n'))
        {
            text.Append("data: ").Append(line).Append('\n');
        }

        await http.Response.WriteAsync(text.Append('\n').ToString(), http.RequestAborted);
        await http.Response.Body.FlushAsync(http.RequestAborted);
    }

    private static async Task<IResult> ListAsync(HttpContext http, IShopperContext shoppers, IHttpClientFactory clients, CancellationToken ct)
    {
        using var request = ToAgent(HttpMethod.Get, "/api/chat/conversations", http, shoppers);
        var (status, list) = await SendAsync<List<ChatConversationSummary>>(clients, request, ct);
        return list is not null ? TypedResults.Ok(list) : Problem(status);
    }

    private static async Task<IResult> GetAsync(Guid id, HttpContext http, IShopperContext shoppers, IHttpClientFactory clients, CancellationToken ct)
    {
        using var request = ToAgent(HttpMethod.Get, $"/api/chat/conversations/{id}", http, shoppers);
        var (status, view) = await SendAsync<ChatConversationView>(clients, request, ct);
        if (view is null)
        {
            return Problem(status);
        }

        return TypedResults.Ok(new ChatTranscript(view.Id, view.Title, view.Messages
            .Select(m => new ChatTranscriptMessage(m.Role, m.Role == "user" ? ChatMarkdown.Encode(m.Content) : ChatMarkdown.ToSafeHtml(m.Content), m.Products))
            .ToList()));
    }

    private static async Task<IResult> DeleteAsync(Guid id, HttpContext http, IShopperContext shoppers, IHttpClientFactory clients, CancellationToken ct)
    {
        using var request = ToAgent(HttpMethod.Delete, $"/api/chat/conversations/{id}", http, shoppers);
        var (status, _) = await SendAsync<object>(clients, request, ct);
        return status == HttpStatusCode.NoContent ? TypedResults.NoContent() : Problem(status);
    }

    private static async Task<(HttpStatusCode? Status, T? Body)> SendAsync<T>(IHttpClientFactory clients, HttpRequestMessage request, CancellationToken ct)
        where T : class
    {
        try
        {
            using var response = await clients.CreateClient(Extensions.UiExtensions.ChatAgentClient).SendAsync(request, ct);
            return response.StatusCode == HttpStatusCode.OK
                ? (response.StatusCode, await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web, ct))
                : (response.StatusCode, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return (null, null);
        }
    }

    private static IResult Problem(HttpStatusCode? status) => status switch
    {
        HttpStatusCode.NotFound => ApiConventions.NotFound("No such conversation."),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Assistant unavailable", detail: Unavailable),
    };
}
