using System.Net.ServerSentEvents;
using System.Text;
using System.Threading.RateLimiting;
using EcomGo.ChatAgent.Services;
using EcomGo.ServiceDefaults.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace EcomGo.ChatAgent.Apis;

/// <summary>
/// The assistant's API. Only the Storefront calls it (service-authenticated); the shopper it acts for arrives in the
/// service call's <c>X-Shopper-Key</c> header, never in a body or query a shopper could write.
/// </summary>
public static class ChatApi
{
    public const string TurnRateLimitPolicy = "chat-turns";

    public static IEndpointRouteBuilder MapChatApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/chat").WithTags("Chat").AddEndpointFilter(RequireShopperAsync);
        ShopperKeys.Protect(api);

        api.MapPost("/", PostTurnAsync).RequireRateLimiting(TurnRateLimitPolicy).WithName("ChatTurn");
        api.MapGet("/conversations", (HttpContext http, ConversationStore store, CancellationToken ct) =>
            store.ListAsync(ShopperKeys.Get(http)!, ct)).WithName("ListConversations");
        api.MapGet("/conversations/{id:guid}", GetConversationAsync).WithName("GetConversation");
        api.MapDelete("/conversations/{id:guid}", DeleteConversationAsync).WithName("DeleteConversation");
        return app;
    }

    /// <summary>Per shopper: a shopper's fast fingers cannot starve the model for everyone else.</summary>
    public static void AddChatRateLimiting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(TurnRateLimitPolicy, http =>
            {
                var options = http.RequestServices.GetRequiredService<IOptions<ChatAgentOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(ShopperKeys.Get(http) ?? "anonymous", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.RateLimitPermits,
                    Window = options.RateLimitWindow,
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(30);
                var seconds = (int)Math.Ceiling(Math.Max(1, retryAfter.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await TypedResults.Problem(
                        statusCode: StatusCodes.Status429TooManyRequests,
                        title: "Too many messages",
                        detail: $"You are sending messages faster than the assistant can answer. Try again in {seconds} seconds.")
                    .ExecuteAsync(context.HttpContext);
            };
        });
    }

    private static async ValueTask<object?> RequireShopperAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        ShopperKeys.Get(context.HttpContext) is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "No shopper",
                detail: $"Calls must name the shopper in the {ShopperKeys.HeaderName} header (user:{{id}} or session:{{digest}}).")
            : await next(context);

    private static async Task<IResult> PostTurnAsync(
        ChatRequest? request, HttpContext http, ConversationStore store, ChatTurnService turns, IOptions<ChatAgentOptions> options, CancellationToken ct)
    {
        var owner = ShopperKeys.Get(http)!;
        var message = request?.Message?.Trim();
        var max = options.Value.MaxMessageLength;
        if (string.IsNullOrEmpty(message))
        {
            return Invalid("Write a question for the assistant.");
        }

        if (message.Length > max)
        {
            return Invalid($"Your message is {message.Length} characters long; the assistant reads at most {max}. Please shorten it.");
        }

        if (message.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
        {
            return Invalid("Your message contains control characters.");
        }

        var conversation = request!.ConversationId is { } id
            ? await store.FindAsync(owner, id, ct)
            : await store.CreateAsync(owner, message, ct);
        if (conversation is null)
        {
            return NotFound();
        }

        // Saved before the model runs: a crash mid-answer leaves the question in the conversation.
        await store.AddUserMessageAsync(conversation, message, ct);
        var events = turns.RunAsync(owner, conversation.Id, message, ct);

        var accept = http.Request.GetTypedHeaders().Accept;
        var wantsJson = accept.Any(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
                        && !accept.Any(a => a.MediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase));
        if (wantsJson)
        {
            return TypedResults.Ok(await CollectAsync(conversation.Id, events, ct));
        }

        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no"; // proxies must pass each event on as it comes
        return TypedResults.ServerSentEvents(events.Select(e => new SseItem<object>(e.Payload, e.Name)));
    }

    private static async Task<ChatAnswer> CollectAsync(Guid conversationId, IAsyncEnumerable<ChatStreamEvent> events, CancellationToken ct)
    {
        var text = new StringBuilder();
        var products = new List<ChatProductCard>();
        var tools = new List<ChatToolEvent>();
        ChatCompletedEvent? completed = null;
        ChatErrorEvent? error = null;
        await foreach (var e in events.WithCancellation(ct))
        {
            switch (e.Payload)
            {
                case ChatDeltaEvent delta: text.Append(delta.Text); break;
                case ChatProductCard card: products.Add(card); break;
                case ChatToolEvent tool when e.Name == ChatEventNames.ToolFinished: tools.Add(tool); break;
                case ChatCompletedEvent done: completed = done; break;
                case ChatErrorEvent failure: error = failure; break;
            }
        }

        return new ChatAnswer(conversationId, completed?.Answer ?? text.ToString(), products, tools, completed, error);
    }

    private static async Task<Results<Ok<ChatConversationView>, ProblemHttpResult>> GetConversationAsync(
        Guid id, HttpContext http, ConversationStore store, CancellationToken ct) =>
        await store.ReadAsync(ShopperKeys.Get(http)!, id, ct) is { } view ? TypedResults.Ok(view) : NotFound();

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteConversationAsync(
        Guid id, HttpContext http, ConversationStore store, CancellationToken ct) =>
        await store.DeleteAsync(ShopperKeys.Get(http)!, id, ct) ? TypedResults.NoContent() : NotFound();

    private static ProblemHttpResult Invalid(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid message", detail: detail);

    // Another shopper's conversation is indistinguishable from one that never existed.
    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No such conversation.");
}
