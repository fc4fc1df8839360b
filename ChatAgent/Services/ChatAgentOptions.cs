namespace EcomGo.ChatAgent.Services;

/// <summary>The assistant's limits and the services its tools call; section "ChatAgent".</summary>
public sealed class ChatAgentOptions
{
    public const string SectionName = "ChatAgent";

    public Uri StorefrontBaseAddress { get; set; } = new("http://storefront");
    public Uri ReviewAnalyzerBaseAddress { get; set; } = new("http://review-analyzer");
    public Uri RecommenderBaseAddress { get; set; } = new("http://recommender");

    /// <summary>
    /// Lowest cosine similarity (all-MiniLM) for a meaning-based match to be offered when keyword search finds too little:
    /// below it a "match" is only the nearest of unrelated products, and "the shop has nothing like that" is the honest answer.
    /// </summary>
    public double SemanticSearchMinScore { get; set; } = 0.35;

    /// <summary>
    /// The same floor in the no-LLM mode, higher: without a model there is nobody to say "none of these fits", so only
    /// close matches are listed.
    /// </summary>
    public double SemanticSearchMinScoreWithoutModel { get; set; } = 0.5;

    /// <summary>Model round trips that may call tools in one turn; after that the model must answer.</summary>
    public int MaxToolIterations { get; set; } = 5;

    /// <summary>A whole turn (all model calls and tools); a local model on CPU can need a minute for its first token.</summary>
    public TimeSpan TurnTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Longest shopper message accepted (characters); longer ones get a 400 with the reason.</summary>
    public int MaxMessageLength { get; set; } = 1000;

    /// <summary>Tokens (cl100k) of conversation history sent with a turn; older turns are folded into the running summary.</summary>
    public int HistoryTokenBudget { get; set; } = 1500;

    /// <summary>Turns one shopper may start per <see cref="RateLimitWindow"/>.</summary>
    public int RateLimitPermits { get; set; } = 12;
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Products a search tool returns to the model (fewer tokens, fewer chances to confuse a small model).</summary>
    public int MaxSearchResults { get; set; } = 8;

    /// <summary>How long a tool may wait for the shop's APIs.</summary>
    public TimeSpan ToolTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest answer the model may produce (output tokens).</summary>
    public int MaxOutputTokens { get; set; } = 700;

    /// <summary>A conversation with no new message for this long has ended: it is summarised and announced (conversation-summarised.v1).</summary>
    public TimeSpan ConversationIdleAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often ended conversations are looked for.</summary>
    public TimeSpan ConversationEndCheckInterval { get; set; } = TimeSpan.FromSeconds(30);
}
