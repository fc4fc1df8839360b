namespace EcomGo.ServiceDefaults.Contracts;

// The shopping assistant's wire contract, in one place: the ChatAgent writes it, the Storefront proxies and renders it,
// the tests and the evaluation read it. JSON uses the web defaults (camelCase).

/// <summary>Body of <c>POST /api/chat</c>. The shopper is never part of the body: it travels in the authenticated service call.</summary>
public sealed record ChatRequest(string? Message, Guid? ConversationId = null);

/// <summary>Server-Sent Event names of a chat turn, in the order they can arrive.</summary>
public static class ChatEventNames
{
    /// <summary>First event: <see cref="ChatConversationEvent"/>.</summary>
    public const string Conversation = "conversation";
    /// <summary>A piece of the answer's Markdown: <see cref="ChatDeltaEvent"/>.</summary>
    public const string Delta = "delta";
    /// <summary>The model called a tool: <see cref="ChatToolEvent"/>.</summary>
    public const string ToolStarted = "tool-started";
    /// <summary>A tool answered (or failed): <see cref="ChatToolEvent"/>.</summary>
    public const string ToolFinished = "tool-finished";
    /// <summary>A product the answer is about: <see cref="ChatProductCard"/>.</summary>
    public const string ProductCard = "product-card";
    /// <summary>Last event of a successful turn: <see cref="ChatCompletedEvent"/>.</summary>
    public const string Completed = "completed";
    /// <summary>Last event of a failed turn: <see cref="ChatErrorEvent"/>.</summary>
    public const string Error = "error";
    /// <summary>Storefront only: the answer so far as safe HTML (<see cref="ChatHtmlEvent"/>), rendered from the deltas.</summary>
    public const string Html = "html";
}

public sealed record ChatConversationEvent(Guid ConversationId, bool AssistantOnline);

/// <summary>Deltas carry a sequence number from 1 so a client can check nothing was lost or reordered.</summary>
public sealed record ChatDeltaEvent(int Sequence, string Text);

/// <summary><paramref name="Arguments"/> is the JSON the model sent; <paramref name="Error"/> is set when the tool failed.</summary>
public sealed record ChatToolEvent(string CallId, string Name, string Arguments, string? Error = null);

/// <summary>A product from a tool result of this turn, as the shop sells it now.</summary>
public sealed record ChatProductCard(int Id, string Name, string Manufacturer, decimal Price, decimal? SalePrice, string ImageUrl, string Url);

public sealed record ChatUsage(long InputTokens, long OutputTokens, long TotalTokens);

/// <summary>Time to the first answer text and of the whole turn, in milliseconds.</summary>
public sealed record ChatTimings(double FirstTokenMs, double TotalMs);

/// <summary>
/// What the grounding check found: product ids, prices and manufacturers in the answer that no tool result of the turn
/// returned. An answer is grounded when all three lists are empty.
/// </summary>
public sealed record ChatGrounding(
    bool Grounded, IReadOnlyList<int> UnbackedProductIds, IReadOnlyList<decimal> UnbackedPrices, IReadOnlyList<string> UnbackedManufacturers);

public sealed record ChatCompletedEvent(
    Guid ConversationId, long MessageId, string Answer, ChatUsage Usage, ChatTimings Timings, ChatGrounding Grounding,
    IReadOnlyList<string> ToolsCalled, string PromptVersion, bool AssistantOnline);

/// <summary><paramref name="Code"/>: model-unavailable, timeout, failed.</summary>
public sealed record ChatErrorEvent(string Code, string Message);

public static class ChatErrorCodes
{
    public const string ModelUnavailable = "model-unavailable";
    public const string Timeout = "timeout";
    public const string Failed = "failed";
}

/// <summary>The plain JSON answer for <c>Accept: application/json</c> clients.</summary>
public sealed record ChatAnswer(
    Guid ConversationId, string Answer, IReadOnlyList<ChatProductCard> Products, IReadOnlyList<ChatToolEvent> ToolCalls,
    ChatCompletedEvent? Completed, ChatErrorEvent? Error);

public sealed record ChatHtmlEvent(string Html);

public sealed record ChatConversationSummary(Guid Id, string Title, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int MessageCount);

public sealed record ChatMessageView(long Id, string Role, string Content, DateTimeOffset CreatedAt, string? PromptVersion, IReadOnlyList<ChatProductCard> Products);

public sealed record ChatConversationView(Guid Id, string Title, string? Summary, IReadOnlyList<ChatMessageView> Messages);
